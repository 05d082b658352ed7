/* cli_dispatch.c: routes `heaplab tree|predict|ostep` to the modules that
 * implement them. Each module provides `int NAME_cli_main(int, char **)`.
 * The references are weak so the tool still builds (and says which part is
 * missing) when a module is compiled out.
 */
#include <stdio.h>
#include <string.h>
#include "cli/cli_dispatch.h"

int tree_cli_main(int argc, char **argv) __attribute__((weak));
int predict_cli_main(int argc, char **argv) __attribute__((weak));
int ostep_cli_main(int argc, char **argv) __attribute__((weak));

int cli_dispatch(const char *cmd, int argc, char **argv) {
    static const char *names[3] = { "tree", "predict", "ostep" };
    int (*fns[3])(int, char **) = { tree_cli_main, predict_cli_main, ostep_cli_main };
    for (int i = 0; i < 3; i++) {
        if (strcmp(cmd, names[i]) != 0) continue;
        if (!fns[i]) {
            fprintf(stderr, "heaplab: '%s' is not built into this binary\n", cmd);
            return 2;
        }
        return fns[i](argc, argv);
    }
    return CLI_UNKNOWN;
}
