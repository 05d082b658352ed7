/* ml_cli.h: the `heaplab tree` and `heaplab predict` subcommands. c/cli/main.c
 * dispatches to them with argv[0] = the subcommand name. They print results
 * on stdout, errors on stderr, and return the process exit code (0 ok,
 * 2 bad usage or bad input file).
 */
#ifndef HEAPLAB_ML_CLI_H
#define HEAPLAB_ML_CLI_H

/* heaplab tree --train TRAIN.csv --predict TEST.csv [tree flags] */
int tree_cli_main(int argc, char **argv);
/* heaplab predict TRACE [--lags K] [--train-frac F] [tree flags] [--horizon N] [--json] */
int predict_cli_main(int argc, char **argv);

#endif
