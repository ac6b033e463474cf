package com.lockkeeper.recovery;

/** The person on the phone, after the identity step: their account, how they were verified, whether they are an associated user. */
public record Caller(String account, String verification, boolean associated, String justification) {
}
