package com.lockkeeper.users;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.support.Password;
import java.security.SecureRandom;
import com.lockkeeper.support.CredentialChanges;
import org.springframework.context.ApplicationEventPublisher;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.support.TransactionTemplate;

/** Local staff accounts: passwords stored as Argon2id hashes, every change audited. */
public final class UserAccounts {

    public static final int MIN_PASSWORD_LENGTH = 12;
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,99}");
    private static final String ONE_TIME_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private final UserRepository repository;
    private final ApplicationEventPublisher events;
    private final CredentialChanges changes;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final SecureRandom random;
    private final PasswordEncoder encoder = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();

    UserAccounts(UserRepository repository, AuditLog audit, TransactionTemplate transactions, Clock clock, SecureRandom random,
            ApplicationEventPublisher events, CredentialChanges changes) {
        this.events = events;
        this.repository = repository;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        this.random = random;
        this.changes = changes;
    }

    public boolean anyExist() {
        return repository.count() > 0;
    }

    public void add(String username, Set<Role> roles, Password password, Actor actor) {
        add(username, roles, password, false, actor);
    }

    /** Adds an account; with {@code mustChangePassword} the password is a temporary one, changed at first sign-in. */
    public void add(String username, Set<Role> roles, Password password, boolean mustChangePassword, Actor actor) {
        requireValidUsername(username);
        requireStrong(password);
        create(username, roles, password, mustChangePassword, actor);
    }

    /** An administrator sets a temporary password, which its user must change at the next sign-in. */
    public void resetPassword(String username, Password temporary, Actor actor) {
        requireStrong(temporary);
        String hash = encoder.encode(java.nio.CharBuffer.wrap(temporary.chars()));
        transactions.executeWithoutResult(tx -> {
            if (!repository.updatePassword(username, hash, true, clock.instant())) {
                throw new IllegalArgumentException("there is no user '" + username + "'");
            }
            audit.record(AuditEntry.success(actor, AuditAction.USER_RESET_PASSWORD, "user " + username,
                    "temporary password set; to be changed at next sign-in"));
        });
    }

    /** Replaces an account's roles (none: an end user). */
    public void setRoles(String username, Set<Role> roles, Actor actor) {
        transactions.executeWithoutResult(tx -> {
            changes.changed(); // a personal access token carries the roles its user has
            LocalAccount account = repository.byUsername(username)
                    .orElseThrow(() -> new IllegalArgumentException("there is no user '" + username + "'"));
            repository.replaceRoles(account.id(), roles);
            audit.record(AuditEntry.success(actor, AuditAction.USER_ROLES, "user " + account.username(),
                    "roles " + account.roles() + " -> " + roles));
        });
    }

    /** The first admin of a fresh installation, with a one-time password they must change at first sign-in. */
    public Password createFirstAdmin(String username, Actor actor) {
        Password oneTime = oneTimePassword();
        create(username, Set.of(Role.ADMIN), oneTime, true, actor);
        return oneTime;
    }

    public void changePassword(String username, Password password, Actor actor) {
        requireStrong(password);
        String hash = encoder.encode(java.nio.CharBuffer.wrap(password.chars()));
        transactions.executeWithoutResult(tx -> {
            if (!repository.updatePassword(username, hash, false, clock.instant())) {
                throw new IllegalArgumentException("there is no user '" + username + "': see `lockkeeper user list`");
            }
            audit.record(AuditEntry.success(actor, AuditAction.USER_CHANGE_PASSWORD, "user " + username, "password changed"));
        });
    }

    public boolean checkPassword(String username, Password password) {
        return repository.passwordHash(username)
                .map(hash -> encoder.matches(java.nio.CharBuffer.wrap(password.chars()), hash))
                .orElse(false);
    }

    /** Changes one's own password after checking the current one (the web's "change password"). */
    public void changeOwnPassword(String username, Password current, Password replacement) {
        if (!checkPassword(username, current)) {
            throw new IllegalArgumentException("the current password is not right: type it again");
        }
        changePassword(username, replacement, Actor.user(username));
    }

    public java.util.Optional<LocalAccount> find(String username) {
        return username == null ? java.util.Optional.empty() : repository.byUsername(username);
    }

    public java.util.Optional<LocalAccount> find(long id) {
        return repository.byId(id);
    }

    public void setDisabled(String username, boolean disabled, Actor actor) {
        transactions.executeWithoutResult(tx -> {
            changes.changed();
            if (!repository.setDisabled(username, disabled)) {
                throw new IllegalArgumentException("there is no user '" + username + "': see `lockkeeper user list`");
            }
            if (disabled) {
                repository.byUsername(username).ifPresent(account -> events.publishEvent(
                        new UserDisabled(account.id(), account.username(), actor)));
            }
            audit.record(AuditEntry.success(actor, disabled ? AuditAction.USER_DISABLE : AuditAction.USER_ENABLE, "user " + username,
                    disabled ? "disabled" : "enabled"));
        });
    }

    /**
     * Checks a sign-in password. A missing account costs an Argon2id hash too, so timing does
     * not tell which user names exist.
     */
    public boolean checkSignIn(String username, Password password) {
        java.util.Optional<String> hash = repository.passwordHash(username);
        boolean matches = encoder.matches(java.nio.CharBuffer.wrap(password.chars()), hash.orElse(decoyHash()));
        return hash.isPresent() && matches;
    }

    private String decoy;

    private synchronized String decoyHash() {
        if (decoy == null) {
            decoy = encoder.encode("decoy-password-for-unknown-users");
        }
        return decoy;
    }

    public List<UserAccount> list() {
        return repository.all();
    }

    private void create(String username, Set<Role> roles, Password password, boolean mustChange, Actor actor) {
        String hash = encoder.encode(java.nio.CharBuffer.wrap(password.chars()));
        transactions.executeWithoutResult(tx -> {
            if (repository.exists(username)) {
                throw new IllegalArgumentException("a user named '" + username + "' exists already: to change the password,"
                        + " run `lockkeeper user passwd " + username + "`");
            }
            long id = repository.insert(username, hash, mustChange, clock.instant());
            repository.addRoles(id, roles);
            audit.record(AuditEntry.success(actor, AuditAction.USER_ADD, "user " + username, "roles " + roles));
        });
    }

    /** @throws IllegalArgumentException saying what a user name may hold, when this one does not */
    public static void requireValidUsername(String username) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new IllegalArgumentException("a user name has 1 to 100 letters, digits and . _ @ -, starting with a"
                    + " letter or digit");
        }
    }

    private static void requireStrong(Password password) {
        if (password.length() < MIN_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("the password is too short: use at least " + MIN_PASSWORD_LENGTH + " characters");
        }
    }

    private Password oneTimePassword() {
        char[] chars = new char[20];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = ONE_TIME_ALPHABET.charAt(random.nextInt(ONE_TIME_ALPHABET.length()));
        }
        return Password.wrap(chars);
    }
}
