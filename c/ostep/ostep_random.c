/* ostep_random.c: CPython's `random` module, bit for bit, as far as
 * malloc.py uses it: random.seed(int) and random.random().
 *
 * CPython's generator is MT19937 (Matsumoto and Nishimura). random.seed(n)
 * for an int n takes |n|, splits it into 32-bit words, least significant
 * first (at least one word, so seed 0 is the key [0]), and runs the
 * reference init_by_array over them. random.random() is genrand_res53:
 * a = u32 >> 5, b = u32 >> 6, (a * 2^26 + b) / 2^53, which is exact in a
 * double, so no floating-point contraction can change it.
 */
#include "ostep/ostep.h"

#define MT_N 624
#define MT_M 397
#define MT_MATRIX_A 0x9908b0dfu
#define MT_UPPER 0x80000000u
#define MT_LOWER 0x7fffffffu

/* Reference init_genrand: fills the state from one 32-bit word. */
static void init_genrand(struct ostep_mt *r, uint32_t s)
{
    int i;
    r->mt[0] = s;
    for (i = 1; i < MT_N; i++)
        r->mt[i] = 1812433253u * (r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) + (uint32_t)i;
    r->mti = MT_N;
}

/* Reference init_by_array (as in CPython's _randommodule.c). */
static void init_by_array(struct ostep_mt *r, const uint32_t *key, int key_len)
{
    int i = 1, j = 0, k;
    uint32_t *mt = r->mt;
    init_genrand(r, 19650218u);
    for (k = MT_N > key_len ? MT_N : key_len; k; k--) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525u)) + key[j] + (uint32_t)j;
        i++;
        j++;
        if (i >= MT_N) {
            mt[0] = mt[MT_N - 1];
            i = 1;
        }
        if (j >= key_len) j = 0;
    }
    for (k = MT_N - 1; k; k--) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941u)) - (uint32_t)i;
        i++;
        if (i >= MT_N) {
            mt[0] = mt[MT_N - 1];
            i = 1;
        }
    }
    mt[0] = 0x80000000u;
}

/* random.seed(seed): the key is |seed| in 32-bit words, low word first. */
void ostep_mt_seed(struct ostep_mt *r, int64_t seed)
{
    uint64_t mag = seed < 0 ? 0u - (uint64_t)seed : (uint64_t)seed;
    uint32_t key[2];
    int len = 1;
    key[0] = (uint32_t)mag;
    key[1] = (uint32_t)(mag >> 32);
    if (key[1] != 0) len = 2;
    init_by_array(r, key, len);
}

/* Next 32-bit output (reference genrand_int32). */
uint32_t ostep_mt_u32(struct ostep_mt *r)
{
    static const uint32_t mag01[2] = {0u, MT_MATRIX_A};
    uint32_t y;
    uint32_t *mt = r->mt;
    if (r->mti >= MT_N) {
        int kk;
        for (kk = 0; kk < MT_N - MT_M; kk++) {
            y = (mt[kk] & MT_UPPER) | (mt[kk + 1] & MT_LOWER);
            mt[kk] = mt[kk + MT_M] ^ (y >> 1) ^ mag01[y & 1u];
        }
        for (; kk < MT_N - 1; kk++) {
            y = (mt[kk] & MT_UPPER) | (mt[kk + 1] & MT_LOWER);
            mt[kk] = mt[kk + (MT_M - MT_N)] ^ (y >> 1) ^ mag01[y & 1u];
        }
        y = (mt[MT_N - 1] & MT_UPPER) | (mt[0] & MT_LOWER);
        mt[MT_N - 1] = mt[MT_M - 1] ^ (y >> 1) ^ mag01[y & 1u];
        r->mti = 0;
    }
    y = mt[r->mti++];
    y ^= (y >> 11);
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= (y >> 18);
    return y;
}

/* random.random(): genrand_res53, in [0, 1) with 53 random bits. */
double ostep_mt_random(struct ostep_mt *r)
{
    uint32_t a = ostep_mt_u32(r) >> 5, b = ostep_mt_u32(r) >> 6;
    return ((double)a * 67108864.0 + (double)b) * (1.0 / 9007199254740992.0);
}
