package com.lockkeeper.helpdesk;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer to a reveal (with {@code recoveryPassword}) or a key-package download (with
 * {@code keyPackage}, base64). Written by {@link SecretResponses} only, never returned to Spring MVC.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record RevealedSecret(String recoveryPasswordId, String recoveryPassword, String keyPackage) {

    static RevealedSecret password(String recoveryPasswordId, String recoveryPassword) {
        return new RevealedSecret(recoveryPasswordId, recoveryPassword, null);
    }

    static RevealedSecret keyPackage(String recoveryPasswordId, String keyPackage) {
        return new RevealedSecret(recoveryPasswordId, null, keyPackage);
    }

    @Override
    public String toString() {
        return "RevealedSecret[" + recoveryPasswordId + ", secret redacted]";
    }
}
