package com.lockkeeper.keys;

import com.lockkeeper.support.Password;
import com.lockkeeper.support.KdfParams;
import com.google.crypto.tink.Aead;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/** Keys derived from passwords with Argon2id, used as AES-256-GCM. */
final class PasswordKeys {

    static final int SALT_BYTES = 16;

    private PasswordKeys() {
    }

    static byte[] newSalt(SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return salt;
    }

    static Aead derive(Password password, byte[] salt, KdfParams params) {
        Argon2Parameters argon = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(params.memoryKib())
                .withIterations(params.iterations())
                .withParallelism(params.parallelism())
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(argon);
        byte[] key = new byte[32];
        try {
            generator.generateBytes(password.chars(), key);
            return Keysets.aesGcm(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }
}
