package com.lockkeeper.support;

/** Argon2id cost parameters, stored beside everything they protect so they can change later. */
public record KdfParams(int memoryKib, int iterations, int parallelism) {

    /** 64 MiB, 3 passes: about a quarter of a second on one core of a small server. */
    public static final KdfParams DEFAULT = new KdfParams(65536, 3, 1);

    public KdfParams {
        if (memoryKib < 8 * parallelism || iterations < 1 || parallelism < 1) {
            throw new IllegalArgumentException("invalid Argon2id parameters");
        }
    }
}
