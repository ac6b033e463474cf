package com.lockkeeper.users;

import com.lockkeeper.audit.Actor;

/** Published inside the transaction that disables a local account, so what hangs on the account ends with it. */
public record UserDisabled(long userId, String username, Actor actor) {
}
