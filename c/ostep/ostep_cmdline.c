/* ostep_cmdline.c: one command-line string to argv, for the page (a text
 * box or ?ostep=...) and the wasm API.
 *
 * Words split on blanks like a POSIX shell: '...' is literal, "..." allows
 * \" and \\ escapes, a backslash outside quotes escapes the next character,
 * and '' or "" make an empty word (so `-A ''` means random mode, as in a
 * shell). No variables, globs or operators. A leading "python3 malloc.py",
 * "./malloc.py", "heaplab ostep" or "ostep" is dropped, so a line copied from
 * a homework sheet works as is. argv[0] is always "ostep".
 */
#include "ostep/ostep.h"

#include <stdlib.h>
#include <string.h>

/* Returns the last path component of w. */
static const char *base_name(const char *w)
{
    const char *s = strrchr(w, '/');
    return s ? s + 1 : w;
}

/* Returns how many leading words of argv[1..] name the program. */
static int prefix_words(int argc, char **argv)
{
    int i = 1;
    while (i < argc && (strcmp(base_name(argv[i]), "python") == 0 || strcmp(base_name(argv[i]), "python2") == 0 ||
                        strcmp(base_name(argv[i]), "python3") == 0))
        i++;
    if (i < argc && strcmp(base_name(argv[i]), "malloc.py") == 0) return i;
    if (i < argc && strcmp(base_name(argv[i]), "heaplab") == 0) {
        if (i + 1 < argc && strcmp(argv[i + 1], "ostep") == 0) return i + 1;
        return i;
    }
    if (i > 1) return i - 1; /* "python3" alone: keep what follows */
    if (i < argc && strcmp(argv[i], "ostep") == 0) return i;
    return 0;
}

/* Splits line into *argv_out (one malloc'd block); returns argc, -1 on an
 * unbalanced quote, -2 when out of memory. */
int ostep_split_cmdline(const char *line, size_t len, char ***argv_out)
{
    size_t i = 0, nptr = len / 2 + 3;
    char **argv = malloc(nptr * sizeof *argv + len + nptr + 8);
    char *out;
    int argc = 1, drop, k;

    *argv_out = NULL;
    if (!argv) return -2;
    out = (char *)(argv + nptr);
    strcpy(out, "ostep");
    argv[0] = out;
    out += 6;
    for (;;) {
        int in_word = 0;
        while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\n' || line[i] == '\r')) i++;
        if (i >= len) break;
        argv[argc] = out;
        while (i < len && !(line[i] == ' ' || line[i] == '\t' || line[i] == '\n' || line[i] == '\r')) {
            char c = line[i++];
            in_word = 1;
            if (c == '\'') {
                while (i < len && line[i] != '\'') *out++ = line[i++];
                if (i++ >= len) goto unbalanced;
            } else if (c == '"') {
                while (i < len && line[i] != '"') {
                    if (line[i] == '\\' && i + 1 < len && (line[i + 1] == '"' || line[i + 1] == '\\')) i++;
                    *out++ = line[i++];
                }
                if (i++ >= len) goto unbalanced;
            } else if (c == '\\' && i < len) {
                *out++ = line[i++];
            } else {
                *out++ = c;
            }
        }
        if (in_word) {
            *out++ = 0;
            argc++;
        }
    }
    argv[argc] = NULL;
    drop = prefix_words(argc, argv);
    for (k = 1; k + drop < argc + 1; k++) argv[k] = argv[k + drop];
    *argv_out = argv;
    return argc - drop;
unbalanced:
    free(argv);
    return -1;
}
