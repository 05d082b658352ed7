/* tree_rng.c: the two random number generators behind sklearn's splitter.
 * numpy's RandomState(random_state) is MT19937 seeded with init_genrand; the
 * splitter draws one value randint(0, 0x7FFFFFFF) from it per fit, which is
 * the first 32-bit output masked to 31 bits (rejected and redrawn when it
 * equals 0x7FFFFFFF). Every later draw is sklearn's xorshift our_rand_r.
 */
#include "tree/tree.h"
#include "tree/tree_internal.h"

#define MT_N 624
#define MT_M 397

struct mt19937 {
    uint32_t mt[MT_N];
    int mti;
};

/* Seeds the state exactly like init_genrand (Matsumoto & Nishimura 2002). */
static void mt_seed(struct mt19937 *m, uint32_t s)
{
    m->mt[0] = s;
    for (int i = 1; i < MT_N; i++)
        m->mt[i] = 1812433253u * (m->mt[i - 1] ^ (m->mt[i - 1] >> 30)) + (uint32_t)i;
    m->mti = MT_N;
}

/* Returns the next tempered 32-bit output. */
static uint32_t mt_next(struct mt19937 *m)
{
    static const uint32_t mag01[2] = {0u, 0x9908b0dfu};
    uint32_t y;
    if (m->mti >= MT_N) {
        int k;
        for (k = 0; k < MT_N - MT_M; k++) {
            y = (m->mt[k] & 0x80000000u) | (m->mt[k + 1] & 0x7fffffffu);
            m->mt[k] = m->mt[k + MT_M] ^ (y >> 1) ^ mag01[y & 1u];
        }
        for (; k < MT_N - 1; k++) {
            y = (m->mt[k] & 0x80000000u) | (m->mt[k + 1] & 0x7fffffffu);
            m->mt[k] = m->mt[k + (MT_M - MT_N)] ^ (y >> 1) ^ mag01[y & 1u];
        }
        y = (m->mt[MT_N - 1] & 0x80000000u) | (m->mt[0] & 0x7fffffffu);
        m->mt[MT_N - 1] = m->mt[MT_M - 1] ^ (y >> 1) ^ mag01[y & 1u];
        m->mti = 0;
    }
    y = m->mt[m->mti++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
}

/* numpy RandomState(rs).randint(0, 0x7FFFFFFF): masked rejection sampling. */
uint32_t tree_rand_r_seed(uint32_t random_state)
{
    struct mt19937 m;
    mt_seed(&m, random_state);
    for (;;) {
        uint32_t v = mt_next(&m) & 0x7fffffffu;
        if (v <= 0x7ffffffeu) return v;
    }
}

/* xorshift32 with sklearn's zero guard; result in [0, 0x7FFFFFFF]. */
uint32_t tree_our_rand_r(uint32_t *state)
{
    if (*state == 0) *state = 1;
    *state ^= *state << 13;
    *state ^= *state >> 17;
    *state ^= *state << 5;
    return *state % 0x80000000u;
}

/* Uniform-ish integer in [low, high) exactly as sklearn's rand_int. */
int tree_rand_int(int low, int high, uint32_t *state)
{
    return low + (int)(tree_our_rand_r(state) % (uint32_t)(high - low));
}
