package com.lockkeeper.device;

/** The answer to an escrow that was stored now ({@code stored}) or before ({@code already-stored}). */
record EscrowReceipt(String status, String recoveryPasswordId) {
}
