/* cli_dispatch.c: routes `heaplab tree|predict|ostep|mm` to the modules that
 * implement them (ml/cli/ml_cli.c, c/cli/ostep_cli.c, c/cli/mm_cli.c). Each provides
 * `int NAME_cli_main(int, char **)`; c/Makefile always builds them all.
 */
#include <string.h>
#include "cli/cli_dispatch.h"
#include "cli/ml_cli.h"
#include "ostep/ostep.h"

int mm_cli_main(int argc, char **argv); /* cli/mm_cli.c */

int cli_dispatch(const char *cmd, int argc, char **argv) {
    static const char *const names[] = {"tree", "predict", "ostep", "mm"};
    int (*const fns[])(int, char **) = {tree_cli_main, predict_cli_main, ostep_cli_main, mm_cli_main};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(cmd, names[i]) == 0) return fns[i](argc, argv);
    return CLI_UNKNOWN;
}
