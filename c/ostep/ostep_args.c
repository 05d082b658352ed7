/* ostep_args.c: malloc.py's command line, parsed the way Python's optparse
 * parses it.
 *
 * optparse rules reproduced here: options and positional arguments may be
 * interspersed (positionals are ignored, as malloc.py ignores them); "--"
 * ends the options; short options cluster ("-cC", "-cS100"); a short option
 * that takes a value uses the rest of its word or else the next word, even
 * one starting with '-'; long options take "--size=100" or "--size 100" and
 * may be abbreviated to any unique prefix (--help counts: "--h" is
 * ambiguous); the last occurrence wins; options are processed left to right
 * and the first error stops parsing; -h/--help stops parsing with help.
 *
 * Integer values go through optparse's _parse_num: "0x..." is hex, "0b..."
 * binary, any other leading "0" octal, else decimal, then Python's int(s,
 * base): surrounding ASCII whitespace, one sign, single underscores between
 * digits, the matching 0x/0o/0b prefix for its base.
 */
#include "ostep/ostep.h"

#include <stdio.h>
#include <string.h>

enum opt_field {
    F_SEED, F_SIZE, F_BASE, F_HEADER, F_ALIGN, F_POLICY, F_ORDER, F_COALESCE,
    F_NUMOPS, F_RANGE, F_PERCENT, F_ALLOCLIST, F_COMPUTE, F_HELP
};

struct opt_def {
    char short_name;
    const char *long_name; /* without the leading "--" */
    int field;
    int takes_value;
    int is_int;
};

/* malloc.py's options in its own order, plus optparse's automatic -h. */
static const struct opt_def OPTS[] = {
    {'h', "help", F_HELP, 0, 0},
    {'s', "seed", F_SEED, 1, 1},
    {'S', "size", F_SIZE, 1, 1},
    {'b', "baseAddr", F_BASE, 1, 1},
    {'H', "headerSize", F_HEADER, 1, 1},
    {'a', "alignment", F_ALIGN, 1, 1},
    {'p', "policy", F_POLICY, 1, 0},
    {'l', "listOrder", F_ORDER, 1, 0},
    {'C', "coalesce", F_COALESCE, 0, 0},
    {'n', "numOps", F_NUMOPS, 1, 1},
    {'r', "range", F_RANGE, 1, 1},
    {'P', "percentAlloc", F_PERCENT, 1, 1},
    {'A', "allocList", F_ALLOCLIST, 1, 0},
    {'c', "compute", F_COMPUTE, 0, 0},
};
#define NOPTS (sizeof OPTS / sizeof OPTS[0])

static const char HELP[] =
    "Usage: heaplab ostep [options]\n"
    "\n"
    "Options:\n"
    "  -h, --help            show this help message and exit\n"
    "  -s SEED, --seed=SEED  the random seed\n"
    "  -S HEAPSIZE, --size=HEAPSIZE\n"
    "                        size of the heap\n"
    "  -b BASEADDR, --baseAddr=BASEADDR\n"
    "                        base address of heap\n"
    "  -H HEADERSIZE, --headerSize=HEADERSIZE\n"
    "                        size of the header\n"
    "  -a ALIGNMENT, --alignment=ALIGNMENT\n"
    "                        align allocated units to size; -1->no align\n"
    "  -p POLICY, --policy=POLICY\n"
    "                        list search (BEST, WORST, FIRST)\n"
    "  -l ORDER, --listOrder=ORDER\n"
    "                        list order (ADDRSORT, SIZESORT+, SIZESORT-, INSERT-\n"
    "                        FRONT, INSERT-BACK)\n"
    "  -C, --coalesce        coalesce the free list?\n"
    "  -n OPSNUM, --numOps=OPSNUM\n"
    "                        number of random ops to generate\n"
    "  -r OPSRANGE, --range=OPSRANGE\n"
    "                        max alloc size\n"
    "  -P OPSPALLOC, --percentAlloc=OPSPALLOC\n"
    "                        percent of ops that are allocs\n"
    "  -A OPSLIST, --allocList=OPSLIST\n"
    "                        instead of random, list of ops (+10,-0,etc)\n"
    "  -c, --compute         compute answers for me\n";

/* Returns the help text (optparse's layout at its default width). */
const char *ostep_help_text(void) { return HELP; }

/* Fills o with malloc.py's defaults. */
void ostep_default_options(struct ostep_options *o)
{
    memset(o, 0, sizeof *o);
    o->seed = 0;
    o->heap_size = 100;
    o->base_addr = 1000;
    o->header_size = 0;
    o->alignment = -1;
    o->num_ops = 10;
    o->range = 10;
    o->percent_alloc = 50;
    o->policy = "BEST";
    o->order = "ADDRSORT";
    o->alloc_list = "";
}

/* Returns 1 for the whitespace Python's int() strips (ASCII \t\n\v\f\r and space). */
static int py_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Returns the value of an ASCII digit in bases up to 16, or 99. */
static int digit_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return 99;
}

/* Python's int(s, base) (CPython's PyLong_FromString) for base 2/8/10/16. */
int ostep_parse_pyint(const char *s, size_t len, int base, int64_t *out)
{
    size_t i = 0;
    int neg = 0, digits = 0;
    char prev = 0;
    uint64_t mag = 0, limit;

    while (i < len && py_space(s[i])) i++;
    if (i < len && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
    if (i + 1 < len && s[i] == '0') {
        char p = s[i + 1];
        if ((base == 16 && (p == 'x' || p == 'X')) || (base == 8 && (p == 'o' || p == 'O')) ||
            (base == 2 && (p == 'b' || p == 'B'))) {
            i += 2;
            if (i < len && s[i] == '_') i++;
        }
    }
    if (i < len && s[i] == '_') return -1;
    limit = neg ? (uint64_t)INT64_MAX + 1u : (uint64_t)INT64_MAX;
    for (; i < len && (s[i] == '_' || digit_value(s[i]) < base); i++) {
        if (s[i] == '_') {
            if (prev == '_') return -1;
        } else {
            uint64_t d = (uint64_t)digit_value(s[i]);
            digits++;
            if (mag > (limit - d) / (uint64_t)base) {
                /* keep validating so a bad literal is still ValueError */
                mag = limit + 1u;
            } else if (mag <= limit) {
                mag = mag * (uint64_t)base + d;
            }
        }
        prev = s[i];
    }
    if (prev == '_' || digits == 0) return -1;
    while (i < len && py_space(s[i])) i++;
    if (i != len) return -1;
    if (mag > limit) return -2;
    *out = neg ? (int64_t)(0u - mag) : (int64_t)mag;
    return 0;
}

/* optparse's _parse_num: picks the base from the prefix, then int(). */
static int parse_optparse_int(const char *val, int64_t *out)
{
    size_t len = strlen(val);
    char a = val[0], b = len > 1 ? val[1] : 0;
    if (a == '0' && (b == 'x' || b == 'X')) return ostep_parse_pyint(val, len, 16, out);
    if (a == '0' && (b == 'b' || b == 'B')) {
        if (len == 2) return ostep_parse_pyint("0", 1, 2, out);
        return ostep_parse_pyint(val + 2, len - 2, 2, out);
    }
    if (a == '0') return ostep_parse_pyint(val, len, 8, out);
    return ostep_parse_pyint(val, len, 10, out);
}

/* The remaining words, with the one word optparse may push back in front. */
struct rargs {
    int argc, next;
    char **argv;
    const char *pushed;
};

/* Returns how many words are left; pops the next one. */
static int rargs_left(const struct rargs *r) { return (r->pushed != NULL) + (r->argc - r->next); }

static const char *rargs_pop(struct rargs *r)
{
    const char *w = r->pushed;
    if (w) {
        r->pushed = NULL;
        return w;
    }
    return r->argv[r->next++];
}

/* Stores one option's value; returns 0, OSTEP_HELP or OSTEP_E_USAGE. */
static int apply_option(const struct opt_def *d, const char *opt, const char *val,
                        struct ostep_options *o, char *err, size_t n)
{
    int64_t v = 0;
    if (d->is_int) {
        int rc = parse_optparse_int(val, &v);
        if (rc == -1) {
            snprintf(err, n, "option %s: invalid integer value: '%s'", opt, val);
            return OSTEP_E_USAGE;
        }
        if (rc == -2) {
            snprintf(err, n, "option %s: value %s is beyond the supported range (64-bit)", opt, val);
            return OSTEP_E_USAGE;
        }
    }
    switch (d->field) {
    case F_SEED: o->seed = v; break;
    case F_SIZE: o->heap_size = v; break;
    case F_BASE: o->base_addr = v; break;
    case F_HEADER: o->header_size = v; break;
    case F_ALIGN: o->alignment = v; break;
    case F_NUMOPS: o->num_ops = v; break;
    case F_RANGE: o->range = v; break;
    case F_PERCENT: o->percent_alloc = v; break;
    case F_POLICY: o->policy = val; break;
    case F_ORDER: o->order = val; break;
    case F_ALLOCLIST: o->alloc_list = val; break;
    case F_COALESCE: o->coalesce = 1; break;
    case F_COMPUTE: o->compute = 1; break;
    case F_HELP: o->help = 1; return OSTEP_HELP;
    default: break;
    }
    return 0;
}

/* Takes the option's value from the words if it needs one; returns 0 or OSTEP_E_USAGE. */
static int take_value(const struct opt_def *d, const char *opt, struct rargs *r,
                      const char **val, char *err, size_t n)
{
    *val = NULL;
    if (!d->takes_value) return 0;
    if (rargs_left(r) < 1) {
        snprintf(err, n, "%s option requires 1 argument", opt);
        return OSTEP_E_USAGE;
    }
    *val = rargs_pop(r);
    return 0;
}

/* optparse's _match_long_opt: exact name or unique prefix; returns the index or -1. */
static int match_long(const char *name, size_t len, char *err, size_t n)
{
    int found = -1, count = 0;
    size_t k;
    for (k = 0; k < NOPTS; k++)
        if (strlen(OPTS[k].long_name) == len && memcmp(OPTS[k].long_name, name, len) == 0) return (int)k;
    for (k = 0; k < NOPTS; k++)
        if (strncmp(OPTS[k].long_name, name, len) == 0 && strlen(OPTS[k].long_name) >= len) {
            found = (int)k;
            count++;
        }
    if (count == 1) return found;
    if (count == 0) {
        snprintf(err, n, "no such option: --%.*s", (int)len, name);
        return -1;
    }
    {
        /* optparse sorts the candidates; byte order as Python compares str */
        const char *c[NOPTS];
        int m = 0, a, b;
        size_t used;
        for (k = 0; k < NOPTS; k++)
            if (strncmp(OPTS[k].long_name, name, len) == 0) c[m++] = OPTS[k].long_name;
        for (a = 1; a < m; a++)
            for (b = a; b > 0 && strcmp(c[b - 1], c[b]) > 0; b--) {
                const char *t = c[b];
                c[b] = c[b - 1];
                c[b - 1] = t;
            }
        used = (size_t)snprintf(err, n, "ambiguous option: --%.*s (", (int)len, name);
        for (a = 0; a < m && used < n; a++)
            used += (size_t)snprintf(err + used, n - used, "%s--%s", a ? ", " : "", c[a]);
        if (used < n) snprintf(err + used, n - used, "?)");
    }
    return -1;
}

/* One "--name[=value]" word; returns 0, OSTEP_HELP or OSTEP_E_USAGE. */
static int long_option(struct rargs *r, struct ostep_options *o, char *err, size_t n)
{
    const char *arg = rargs_pop(r), *eq = strchr(arg, '='), *val;
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
    char opt[64];
    int k, rc;
    if (eq) r->pushed = eq + 1;
    k = match_long(arg + 2, len - 2, err, n);
    if (k < 0) return OSTEP_E_USAGE;
    snprintf(opt, sizeof opt, "--%s", OPTS[k].long_name);
    if (OPTS[k].takes_value) {
        rc = take_value(&OPTS[k], opt, r, &val, err, n);
        if (rc) return rc;
    } else if (eq) {
        snprintf(err, n, "%s option does not take a value", opt);
        return OSTEP_E_USAGE;
    } else {
        val = NULL;
    }
    return apply_option(&OPTS[k], opt, val, o, err, n);
}

/* One "-abc" word of clustered short options; returns 0, OSTEP_HELP or OSTEP_E_USAGE. */
static int short_options(struct rargs *r, struct ostep_options *o, char *err, size_t n)
{
    const char *arg = rargs_pop(r), *val;
    size_t i, len = strlen(arg), k;
    for (i = 1; i < len; i++) {
        const struct opt_def *d = NULL;
        char opt[3] = {'-', arg[i], 0};
        int rc;
        for (k = 0; k < NOPTS; k++)
            if (OPTS[k].short_name == arg[i]) d = &OPTS[k];
        if (!d) {
            snprintf(err, n, "no such option: %s", opt);
            return OSTEP_E_USAGE;
        }
        if (d->takes_value && i + 1 < len) {
            r->pushed = arg + i + 1;
            i = len; /* the rest of the word is the value */
        }
        rc = take_value(d, opt, r, &val, err, n);
        if (!rc) rc = apply_option(d, opt, val, o, err, n);
        if (rc) return rc;
    }
    return 0;
}

/* Parses argv[1..] like optparse; the first error stops, as in Python. */
int ostep_parse_args(int argc, char **argv, struct ostep_options *o, char *err, size_t err_size)
{
    struct rargs r = {argc, 1, argv, NULL};
    ostep_default_options(o);
    if (err_size) err[0] = 0;
    while (rargs_left(&r) > 0) {
        const char *arg = r.argv[r.next];
        int rc = 0;
        if (strcmp(arg, "--") == 0) break;
        if (strncmp(arg, "--", 2) == 0)
            rc = long_option(&r, o, err, err_size);
        else if (arg[0] == '-' && arg[1] != 0)
            rc = short_options(&r, o, err, err_size);
        else
            r.next++; /* a positional argument: malloc.py ignores them */
        if (rc) return rc;
    }
    return 0;
}
