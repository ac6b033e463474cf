package com.lockkeeper.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RevealedSecretTest {

    static final String ID = "{4D3C2B1A-8F7E-4A6B-9C0D-112233445566}";
    static final String PASSWORD = "171743-460625-147972-321926-606430-707773-635965-345928";

    @Test
    void itsTextNamesTheKeyButNeverTheSecret() {
        for (RevealedSecret secret : new RevealedSecret[] {RevealedSecret.password(ID, PASSWORD),
                RevealedSecret.keyPackage(ID, "a2V5IHBhY2thZ2U=")}) {
            assertThat(secret.toString()).contains(ID).doesNotContain("171743").doesNotContain("a2V5IHBhY2thZ2U=");
        }
    }
}
