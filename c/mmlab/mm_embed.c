/* mm_embed.c: the files `heaplab mm` compiles with a student's mm.c (the
 * driver, memlib and their headers, c/mmlab/student/ and c/mm/mm_checks.h),
 * built into the tool with the assembler's .incbin, so an installed heaplab
 * needs nothing beside it but a C compiler. The paths are relative to the
 * repository root, where every build runs (c/Makefile, the one-line gcc build);
 * c/Makefile makes this object depend on those files. Each ends with a NUL.
 */
#include "mmlab/mm_runner.h"

#define EMBED(sym, path)                                                                  \
    __asm__(".section .rodata\n.balign 16\n.global " #sym "\n" #sym ":\n.incbin \"" path "\"\n" \
            ".byte 0\n.previous\n");                                                        \
    extern const char sym[];

EMBED(heaplab_mm_driver_c, "c/mmlab/student/mm_driver.c")
EMBED(heaplab_mm_memlib_c, "c/mmlab/student/memlib.c")
EMBED(heaplab_mm_decode_c, "c/mmlab/student/mm_decode.c")
EMBED(heaplab_mm_decode_h, "c/mmlab/student/mm_decode.h")
EMBED(heaplab_mm_memlib_h, "c/mmlab/student/memlib.h")
EMBED(heaplab_mm_mm_h, "c/mmlab/student/mm.h")
EMBED(heaplab_mm_config_h, "c/mmlab/student/config.h")
EMBED(heaplab_mm_shared_h, "c/mmlab/student/mm_shared.h")
EMBED(heaplab_mm_checks_h, "c/mm/mm_checks.h")

#define FILE_ENTRY(name, sym) { name, sym }
const struct mm_embedded_file mm_embedded_files[] = {
    FILE_ENTRY("mm_driver.c", heaplab_mm_driver_c), FILE_ENTRY("memlib.c", heaplab_mm_memlib_c),
    FILE_ENTRY("memlib.h", heaplab_mm_memlib_h),    FILE_ENTRY("mm.h", heaplab_mm_mm_h),
    FILE_ENTRY("config.h", heaplab_mm_config_h),    FILE_ENTRY("mm_shared.h", heaplab_mm_shared_h),
    FILE_ENTRY("mm_checks.h", heaplab_mm_checks_h), FILE_ENTRY("mm_decode.c", heaplab_mm_decode_c),
    FILE_ENTRY("mm_decode.h", heaplab_mm_decode_h),
};
const size_t mm_embedded_count = sizeof mm_embedded_files / sizeof *mm_embedded_files;
