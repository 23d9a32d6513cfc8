/* SPDX-License-Identifier: MIT */
/* Fixture for test-loader: checks from the inside that the auxiliary vector
 * the loader patched describes this program (and its interpreter), that the
 * bss is zero and that no mapping is writable and executable, then prints
 * AT_EXECFN, argv and an environment variable and exits 42. */
#define _GNU_SOURCE
#include <elf.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

extern char _start[];
extern const ElfW(Ehdr) __ehdr_start __attribute__((visibility("hidden")));

static int failures;
static char bss_small[100];
static char bss_big[3 << 20];
static int data_word = 0x1234;

#define CHECK(cond)                                                         \
	do {                                                                \
		if (!(cond)) {                                              \
			printf("FAIL: %s\n", #cond);                        \
			failures++;                                         \
		}                                                           \
	} while (0)

static int find_base(struct dl_phdr_info *info, size_t size, void *data)
{
	return info->dlpi_addr == *(unsigned long *)data;
}

static void check_maps(void)
{
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");

	CHECK(f != NULL);
	while (f && fgets(line, sizeof(line), f)) {
		char perms[8] = "";

		if (sscanf(line, "%*x-%*x %7s", perms) == 1 && strchr(perms, 'w') &&
		    strchr(perms, 'x'))
			printf("FAIL: writable and executable mapping: %s", line);
		failures += strchr(perms, 'w') && strchr(perms, 'x');
	}
	if (f)
		fclose(f);
}

int main(int argc, char **argv)
{
	const ElfW(Ehdr) *eh = &__ehdr_start;
	const ElfW(Phdr) *ph = (const void *)((const char *)eh + eh->e_phoff);
	unsigned long base = getauxval(AT_BASE), bias = 0;

	CHECK(memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0);
	CHECK(getauxval(AT_PHDR) == (unsigned long)ph);
	CHECK(getauxval(AT_PHENT) == sizeof(ElfW(Phdr)));
	CHECK(getauxval(AT_PHNUM) == eh->e_phnum);
	CHECK(getauxval(AT_ENTRY) == (unsigned long)_start);
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD) {
			bias = (unsigned long)eh - ph[i].p_vaddr;
			break;
		}
	/* The load address honours the segments' alignment. */
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_align > 1)
			CHECK(bias % ph[i].p_align == 0);
	CHECK(getauxval(AT_ENTRY) == eh->e_entry + bias);
	if (base) {
		/* AT_BASE is where the interpreter is, as ld.so itself knows. */
		const ElfW(Ehdr) *ieh = (const void *)base;

		CHECK(memcmp(ieh->e_ident, ELFMAG, SELFMAG) == 0);
		CHECK(ieh->e_type == ET_DYN);
		CHECK(dl_iterate_phdr(find_base, &base) == 1);
	}
	for (size_t i = 0; i < sizeof(bss_small); i++)
		failures += bss_small[i] != 0;
	for (size_t i = 0; i < sizeof(bss_big); i += 512)
		failures += bss_big[i] != 0;
	bss_big[sizeof(bss_big) - 1] = 1;
	CHECK(data_word == 0x1234);
	check_maps();

	printf("execfn=%s\n", (const char *)getauxval(AT_EXECFN));
	printf("base=%s\n", base ? "set" : "0");
	for (int i = 0; i < argc; i++)
		printf("argv[%d]=%s\n", i, argv[i]);
	printf("env=%s\n", getenv("LOADER_TEST") ? getenv("LOADER_TEST") : "(unset)");
	printf("failures=%d\n", failures);
	return failures ? 1 : 42;
}
