package com.lockkeeper.device;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer to an escrow that was stored now ({@code stored}) or before ({@code already-stored});
 * {@code replaced} is true when it replaced a stored password that differed from the device's.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record EscrowReceipt(String status, String recoveryPasswordId, Boolean replaced) {

    EscrowReceipt(String status, String recoveryPasswordId) {
        this(status, recoveryPasswordId, null);
    }
}
