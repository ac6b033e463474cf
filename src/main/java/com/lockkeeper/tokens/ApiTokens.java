package com.lockkeeper.tokens;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.support.BearerSecrets;
import com.lockkeeper.support.CredentialChanges;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Bearer tokens for the API. A token is 256 random bits; only its SHA-256 is stored, so a
 * database dump cannot be replayed. Enrollment tokens let devices escrow and nothing else.
 */
public final class ApiTokens {

    public static final String ENROLLMENT = "enrollment";
    public static final String PERSONAL = "personal";
    static final String ENROLLMENT_PREFIX = "lke_";
    static final String PERSONAL_PREFIX = "lkp_";
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._@-]{0,99}");

    private final TokenRepository repository;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final SecureRandom random;
    private final CredentialChanges changes;

    ApiTokens(TokenRepository repository, AuditLog audit, TransactionTemplate transactions, Clock clock, SecureRandom random,
            CredentialChanges changes) {
        this.repository = repository;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        this.random = random;
        this.changes = changes;
    }

    public boolean anyEverIssued() {
        return repository.count() > 0;
    }

    public IssuedToken createEnrollmentToken(String name, Actor actor) {
        requireValidName(name);
        String secret = newSecret(ENROLLMENT_PREFIX);
        byte[] hash = hash(secret);
        long id = transactions.execute(tx -> {
            if (repository.activeNameExists(name)) {
                throw new IllegalArgumentException("an active token named '" + name + "' exists already: choose another"
                        + " name, or revoke it first with `lockkeeper token revoke " + name + "`");
            }
            long created = repository.insert(name, ENROLLMENT, null, hash, actor.toString(), clock.instant());
            audit.record(AuditEntry.success(actor, AuditAction.TOKEN_CREATE, "token " + created + " (" + name + ")", "enrollment token"));
            return created;
        });
        return new IssuedToken(id, name, secret);
    }

    /**
     * A personal access token for the staff API, bound to local user {@code userId}: it carries
     * that user's roles at each call, and stops working when the user is disabled.
     */
    public IssuedToken createPersonalToken(long userId, String username, String name, Actor actor) {
        requireValidName(name);
        String secret = newSecret(PERSONAL_PREFIX);
        byte[] hash = hash(secret);
        long id = transactions.execute(tx -> {
            if (repository.activeNameExists(userId, name)) {
                throw new IllegalArgumentException(username + " has an active token named '" + name + "' already: choose"
                        + " another name, or revoke that one first");
            }
            long created = repository.insert(name, PERSONAL, userId, hash, actor.toString(), clock.instant());
            audit.record(AuditEntry.success(actor, AuditAction.TOKEN_CREATE, "token " + created + " (" + name + ")",
                    "personal access token of user " + username));
            return created;
        });
        return new IssuedToken(id, name, secret);
    }

    /**
     * A personal access token of someone who signs in through the directory: at each call their
     * roles are looked up in the directory, and the token stops working when they are disabled there.
     */
    public IssuedToken createDirectoryToken(String directoryUser, String name, Actor actor) {
        requireValidName(name);
        String secret = newSecret(PERSONAL_PREFIX);
        byte[] hash = hash(secret);
        long id = transactions.execute(tx -> {
            if (repository.activeNameExists(directoryUser, name)) {
                throw new IllegalArgumentException(directoryUser + " has an active token named '" + name + "' already:"
                        + " choose another name, or revoke that one first");
            }
            long created = repository.insert(name, PERSONAL, null, directoryUser, hash, actor.toString(), clock.instant());
            audit.record(AuditEntry.success(actor, AuditAction.TOKEN_CREATE, "token " + created + " (" + name + ")",
                    "personal access token of directory user " + directoryUser));
            return created;
        });
        return new IssuedToken(id, name, secret);
    }

    /** A directory user's own personal tokens, newest first. */
    public List<TokenSummary> ofDirectoryUser(String directoryUser) {
        return repository.ofDirectoryUser(directoryUser);
    }

    /** A user's own personal tokens, newest first. */
    public List<TokenSummary> ofUser(long userId) {
        return repository.ofUser(userId);
    }

    /** Revokes one of a person's own tokens; another person's token is answered as if it did not exist. */
    public TokenSummary revokeOwn(String username, long tokenId, Actor actor) {
        return transactions.execute(tx -> {
            TokenSummary token = repository.byId(tokenId)
                    .filter(t -> t.active() && PERSONAL.equals(t.kind()) && username.equals(t.owner()))
                    .orElseThrow(() -> new IllegalArgumentException("you have no active token with id " + tokenId
                            + ": reload the page to see your tokens"));
            changes.changed();
            repository.revoke(token.id(), clock.instant());
            audit.record(AuditEntry.success(actor, AuditAction.TOKEN_REVOKE, "token " + token.id() + " (" + token.name() + ")",
                    "personal access token of user " + username));
            return token;
        });
    }

    /** Revokes every active personal token of a local user (when the account is disabled); each one audited. */
    public void revokeAllOf(long userId, String username, Actor actor) {
        transactions.executeWithoutResult(tx -> {
            changes.changed();
            for (TokenSummary token : repository.ofUser(userId)) {
                if (token.active() && repository.revoke(token.id(), clock.instant())) {
                    audit.record(AuditEntry.success(actor, AuditAction.TOKEN_REVOKE, "token " + token.id() + " (" + token.name() + ")",
                            "personal access token of user " + username + ", revoked with the account's disabling"));
                }
            }
        });
    }

    public List<TokenSummary> list() {
        return repository.all();
    }

    /** Revokes the active token with this name or id. */
    public TokenSummary revoke(String nameOrId, Actor actor) {
        return transactions.execute(tx -> {
            List<TokenSummary> matches = repository.activeByNameOrId(nameOrId);
            if (matches.isEmpty()) {
                String named = nameOrId.startsWith(ENROLLMENT_PREFIX) || nameOrId.startsWith(PERSONAL_PREFIX) ? "given (tokens are revoked by name or id, not by"
                        + " the token itself)" : "'" + nameOrId + "'";
                throw new IllegalArgumentException("no active token has the name or id " + named
                        + ": see `lockkeeper token list`");
            }
            if (matches.size() > 1) {
                throw new IllegalArgumentException("'" + nameOrId + "' matches several tokens: revoke by id");
            }
            TokenSummary token = matches.get(0);
            changes.changed();
            repository.revoke(token.id(), clock.instant());
            audit.record(AuditEntry.success(actor, AuditAction.TOKEN_REVOKE, "token " + token.id() + " (" + token.name() + ")", "revoked"));
            return token;
        });
    }

    /** The holder of a presented token, if it is known and not revoked. */
    public Optional<TokenHolder> authenticate(String presented) {
        if (presented == null || presented.length() > BearerSecrets.MAX_LENGTH) {
            return Optional.empty();
        }
        return repository.activeByHash(hash(presented));
    }

    private String newSecret(String prefix) {
        return BearerSecrets.generate(prefix, random);
    }

    private static void requireValidName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a token name has 1 to 100 letters, digits, spaces and . _ @ -");
        }
    }

    private static byte[] hash(String token) {
        return BearerSecrets.hash(token);
    }
}
