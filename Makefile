# ptroot: one GNU Makefile. `make`, `make static`, `make check`, `make demo`.
#
# Layout: src/**/*.c (except src/loader/ and src/main.c) make the library that
# both ./ptroot and the unit tests link; src/loader/ is built twice (x86_64
# and i386) as tiny static programs embedded in ptroot.

CC       ?= cc
CFLAGS   ?= -O2 -g
WARN     := -Wall -Wextra -Wno-unused-parameter -Wshadow -Wformat=2 \
            -Wmissing-prototypes -Wstrict-prototypes -Wpointer-arith -Wvla
ifdef WERROR
WARN     += -Werror
endif
ALL_CFLAGS := -std=gnu11 $(WARN) -Isrc -D_GNU_SOURCE $(CFLAGS)
LDFLAGS  ?=

# Build variants: normal (build/), sanitizers (build/asan/), static.
B        ?= build
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

SRCS     := $(shell find src -name '*.c' -not -path 'src/loader/*' | sort)
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
OBJS     = $(SRCS:%.c=$(B)/%.o)
LIB_OBJS = $(LIB_SRCS:%.c=$(B)/%.o)

UNIT_SRCS := $(sort $(wildcard tests/unit/test-*.c))
UNIT_BINS  = $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/unit/%)

# Guest test programs: small, static, self-checking. Each tests/guest/NAME.c
# is built for x86_64 (build/guest/NAME) and i386 (build/guest32/NAME).
GUEST_SRCS := $(sort $(wildcard tests/guest/*.c))
GUEST_BINS := $(GUEST_SRCS:tests/guest/%.c=build/guest/%) \
              $(GUEST_SRCS:tests/guest/%.c=build/guest32/%)
GUEST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Wno-unused-parameter -static -Itests/guest

LOADER_CFLAGS := -std=gnu11 -Os -Wall -Wextra -Wno-unused-parameter -ffreestanding -fno-stack-protector \
                 -fno-builtin -nostdlib -static -fno-pie -no-pie -fno-asynchronous-unwind-tables \
                 -fcf-protection=none -Isrc -Wl,--build-id=none -Wl,-z,noexecstack -Wl,-z,noseparate-code -s

.PHONY: all static asan check check-unit check-integration demo clean deps docs fmt bench fuzz fuzz-diff
.DEFAULT_GOAL := all

all: ptroot

ptroot: $(OBJS) $(B)/loaders.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^

static:
	$(MAKE) B=build/static CFLAGS="$(CFLAGS)" LDFLAGS="-static" build/static/ptroot
	cp build/static/ptroot ptroot-static
	@echo "ptroot-static: $$(file -b ptroot-static 2>/dev/null || echo built)"

$(B)/ptroot: $(OBJS) $(B)/loaders.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^

asan:
	$(MAKE) B=build/asan CFLAGS="-O1 -g $(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" build/asan/ptroot asan-units

asan-units: $(UNIT_BINS)

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# The embedded loaders.
build/loader/loader-x86_64: src/loader/loader.c src/loader/entry-x86_64.S src/loader/loader.h
	@mkdir -p $(dir $@)
	$(CC) $(LOADER_CFLAGS) -m64 -fpie -Wl,-Ttext-segment=0x600000000000 -o $@ src/loader/entry-x86_64.S src/loader/loader.c
build/loader/loader-i386: src/loader/loader.c src/loader/entry-i386.S src/loader/loader.h
	@mkdir -p $(dir $@)
	$(CC) $(LOADER_CFLAGS) -m32 -Wl,-Ttext-segment=0xa0000000 -o $@ src/loader/entry-i386.S src/loader/loader.c
$(B)/loaders.o: build/loader/loader-x86_64 build/loader/loader-i386
	@mkdir -p $(dir $@)
	cd build/loader && ld -r -b binary -z noexecstack -o $(abspath $@).tmp loader-x86_64 loader-i386
	objcopy --rename-section .data=.rodata,alloc,load,readonly,data,contents $@.tmp $@ && rm -f $@.tmp

# Unit tests: no ptrace, no root.
$(B)/tests/unit/%: tests/unit/%.c tests/unit/tap.h $(LIB_OBJS) $(B)/loaders.o
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(LIB_OBJS) $(B)/loaders.o

build/guest/%: tests/guest/%.c $(wildcard tests/guest/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -m64 -o $@ $<
build/guest32/%: tests/guest/%.c $(wildcard tests/guest/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -m32 -o $@ $<

guests: $(GUEST_BINS)

# docs/syscalls.md is generated from the syscall table.
build/tools/sysdoc: tools/sysdoc.c $(LIB_OBJS) $(B)/loaders.o
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^
docs: build/tools/sysdoc
	build/tools/sysdoc > docs/syscalls.md

deps:
	@sh tests/deps.sh

# Every test, under prove (TAP). PTROOT_TEST_BIN picks the binary to test.
check: deps all guests $(UNIT_BINS)
	@sh tests/run.sh

check-unit: $(UNIT_BINS)
	prove -f $(UNIT_BINS)

demo: deps all
	@sh tests/demo.sh

# Timings against a native chroot and Debian's proot (on demand only; as
# root).  BENCH_QUICK=1, BENCH_RUNS=N, BENCH_ONLY=a,b: see bench/run.sh.
bench: deps all
	@sh bench/run.sh

# libFuzzer harnesses (fuzz/README.md), built with clang against the pure
# sources only. `make fuzz` builds them, runs each for FUZZ_SECONDS on its
# corpus and merges what was found into fuzz/corpus/NAME.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_NAMES   ?= cli lexical resolve
FUZZ_CFLAGS  := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
                -g -O1 -std=gnu11 -Isrc -D_GNU_SOURCE
FUZZ_SRCS    := $(sort $(wildcard src/path/*.c)) src/cli/cli.c src/base/log.c
FUZZ_HDRS    := $(wildcard src/base/*.h src/path/*.h src/cli/*.h fuzz/*.h)

build/fuzz/fuzz-%: fuzz/fuzz-%.c $(FUZZ_SRCS) $(FUZZ_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(WARN) -Wno-format-nonliteral -o $@ $< $(FUZZ_SRCS)

fuzz:
	@sh fuzz/fuzz.sh check $(FUZZ_CC)
	$(MAKE) FUZZ_CC=$(FUZZ_CC) $(FUZZ_NAMES:%=build/fuzz/fuzz-%)
	@for n in $(FUZZ_NAMES); do sh fuzz/fuzz.sh run $$n $(FUZZ_SECONDS) || exit 1; done

# The differential test with random seeds (fuzz/README.md): FUZZ_DIFF_CASES
# cases in all (default a million), FUZZ_DIFF_PER_SEED per seed; the seeds of
# any divergence are printed and kept, and the target fails.
FUZZ_DIFF_CASES    ?= 1000000
FUZZ_DIFF_PER_SEED ?= 1000

fuzz-diff: all guests
	@sh tests/diff/fuzz.sh $(FUZZ_DIFF_CASES) $(FUZZ_DIFF_PER_SEED)

clean:
	rm -rf build ptroot ptroot-static

-include $(shell find build -name '*.d' 2>/dev/null)
