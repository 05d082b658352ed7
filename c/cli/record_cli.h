/* record_cli.h: `heaplab record [flags] -- COMMAND [ARGS...]` (record_cli.c). */
#ifndef HEAPLAB_RECORD_CLI_H
#define HEAPLAB_RECORD_CLI_H
/* Runs COMMAND under the recorder; returns COMMAND's exit status (128 + the
 * signal when a signal ended it), or 2 when it could not be started. */
int record_cli_main(int argc, char **argv);
#endif
