/* cli_dispatch.h: the subcommands that live outside c/cli/main.c (ml/, ostep). */
#ifndef HEAPLAB_CLI_DISPATCH_H
#define HEAPLAB_CLI_DISPATCH_H
#define CLI_UNKNOWN (-1000)
/* Runs subcommand `cmd` (argv[0] == cmd); returns its exit status, or CLI_UNKNOWN. */
int cli_dispatch(const char *cmd, int argc, char **argv);
#endif
