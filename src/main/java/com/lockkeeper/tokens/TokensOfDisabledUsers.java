package com.lockkeeper.tokens;

import com.lockkeeper.users.UserDisabled;
import org.springframework.context.event.EventListener;

/**
 * Disabling a user revokes their personal access tokens, in the same transaction: enabling the
 * account again later does not bring back tokens that were out while it was disabled.
 */
final class TokensOfDisabledUsers {

    private final ApiTokens tokens;

    TokensOfDisabledUsers(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @EventListener
    void revokeTheirTokens(UserDisabled disabled) {
        tokens.revokeAllOf(disabled.userId(), disabled.username(), disabled.actor());
    }
}
