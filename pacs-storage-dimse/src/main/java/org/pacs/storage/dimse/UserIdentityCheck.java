package org.pacs.storage.dimse;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.pacs.storage.StorageException;
import org.pacs.storage.security.SecurityStorage;
import org.pacs.storage.security.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * User Identity negotiation (PS3.7 D.3.3.7) against the security database, the one DICOMweb's Basic authentication
 * uses: a user name (type 1) names an active user; a user name and passcode (type 2) must be that user's password
 * ({@link SecurityStorage#authenticate}, PBKDF2, constant time whether or not the user exists). Kerberos, SAML and
 * JWT identities are not understood: without {@code require-user-identity} they are ignored as PS3.7 allows,
 * with it they are refused. An identity that is sent but wrong is refused even when none is required: a peer that
 * offers credentials means them, and silently treating it as anonymous would hide the mistake.
 *
 * <p>Guessing is throttled as DICOMweb's Basic authentication does it: from the {@value #FREE_FAILURES}th failed
 * identity of one user name or one address on, further attempts are refused without checking the password, for a
 * wait that starts at 2 s and doubles with every failure up to 15 min; a success clears the user's count. Both
 * maps are bounded, so cycling names or addresses cannot grow them without limit.
 */
final class UserIdentityCheck {

    private static final Logger LOG = LoggerFactory.getLogger(UserIdentityCheck.class);

    /**
     * The identity is accepted as {@code user} ("" when anonymous), or refused for {@code why}; {@code account} is
     * the verified user with its roles, null when anonymous or refused.
     */
    record Outcome(boolean accepted, String user, String why, User account) {
        Outcome(boolean accepted, String user, String why) {
            this(accepted, user, why, null);
        }

        static Outcome anonymous() {
            return new Outcome(true, "", "");
        }
    }

    static final int FREE_FAILURES = 5;
    static final Duration FIRST_LOCKOUT = Duration.ofSeconds(2);
    static final Duration MAX_LOCKOUT = Duration.ofMinutes(15);
    private static final int MAX_ENTRIES = 10_000;

    private record Failures(int count, Instant lockedUntil) {
    }

    private final SecurityStorage security;
    private final boolean required;
    private final Clock clock;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    /** @param security null when the server runs without a security database (then nothing can be required) */
    UserIdentityCheck(SecurityStorage security, boolean required) {
        this(security, required, Clock.systemUTC());
    }

    UserIdentityCheck(SecurityStorage security, boolean required, Clock clock) {
        this.clock = clock;
        if (required && security == null) {
            throw StorageException.invalidInput("dimse.require-user-identity is true but no security database is"
                    + " configured; set security.database, or set dimse.require-user-identity: false.");
        }
        this.security = security;
        this.required = required;
    }

    /**
     * @param who     the calling AE title, for the log
     * @param address the peer's host address, for throttling
     */
    Outcome check(AssociatePdu.Identity id, String who, String address) {
        if (id == null) {
            return required ? refuse("no user identity sent; this server requires one (user name and password)", who)
                    : Outcome.anonymous();
        }
        boolean understood = id.type() == AssociatePdu.Identity.USERNAME
                || id.type() == AssociatePdu.Identity.USERNAME_AND_PASSCODE;
        if (!understood || security == null) {
            if (required) {
                return refuse("user identity type " + id.type() + " is not supported; send a user name and password",
                        who);
            }
            LOG.info("DIMSE association from {}: user identity type {} ignored ({})", who, id.type(),
                    security == null ? "no security database" : "not supported");
            return Outcome.anonymous();
        }
        String username = utf8(id.primary()).orElse(null);
        if (username == null || username.isBlank()) {
            return refuse("user identity without a readable user name", who);
        }
        String shown = AssociatePdu.printable(username.length() > 64 ? username.substring(0, 64) + "..." : username);
        String userKey = "user:" + username.toLowerCase(Locale.ROOT);
        String addrKey = "addr:" + address;
        Instant now = clock.instant();
        for (String key : new String[] {userKey, addrKey}) {
            Failures f = failures.get(key);
            if (f != null && f.lockedUntil() != null && now.isBefore(f.lockedUntil())) {
                Arrays.fill(id.secondary(), (byte) 0);
                long wait = Math.max(1, Duration.between(now, f.lockedUntil()).toSeconds());
                return refuse("too many failed identities for " + (key.startsWith("user:") ? "user '" + shown + "'"
                        : "address " + address) + "; retry in " + wait + " s", who);
            }
        }
        Optional<User> user;
        try {
            if (id.type() == AssociatePdu.Identity.USERNAME) {
                user = Optional.of(security.getUserByUsername(username)).filter(User::active);
            } else {
                char[] password = utf8Chars(id.secondary());
                try {
                    user = security.authenticate(username, password);
                } finally {
                    Arrays.fill(password, '\0');
                }
            }
        } catch (StorageException e) {
            if (e.reason() != StorageException.Reason.NOT_FOUND && e.reason() != StorageException.Reason.INVALID_INPUT) {
                // the database itself failed: refuse, and say it is not the peer's fault
                LOG.warn("DIMSE association from {}: user identity could not be checked: {}", who, e.getMessage());
                return new Outcome(false, "", "the security database is unavailable (" + e.reason() + ")");
            }
            user = Optional.empty();
        } finally {
            Arrays.fill(id.secondary(), (byte) 0);
        }
        if (user.isEmpty() || !user.get().active()) {
            recordFailure(userKey, addrKey, now, who);
            return refuse("wrong user name or password for user '" + shown + "'", who);
        }
        failures.remove(userKey);
        return new Outcome(true, user.get().username(), "", user.get());
    }

    private void recordFailure(String userKey, String addrKey, Instant now, String who) {
        if (failures.size() >= MAX_ENTRIES) {
            failures.entrySet().removeIf(e -> e.getValue().lockedUntil() == null
                    || !now.isBefore(e.getValue().lockedUntil()));
            if (failures.size() >= MAX_ENTRIES) {
                failures.clear();
            }
        }
        for (String key : new String[] {userKey, addrKey}) {
            Failures f = failures.merge(key, new Failures(1, null), (old, one) -> {
                int n = old.count() + 1;
                return new Failures(n, n >= FREE_FAILURES ? now.plus(lockout(n)) : null);
            });
            if (f.lockedUntil() != null) {
                LOG.warn("{} failed DIMSE user identities for {} (latest from {}); refusing attempts until {}",
                        f.count(), AssociatePdu.printable(key), who, f.lockedUntil());
            }
        }
    }

    static Duration lockout(int failures) {
        int doublings = Math.min(30, Math.max(0, failures - FREE_FAILURES));
        Duration d = FIRST_LOCKOUT.multipliedBy(1L << doublings);
        return d.compareTo(MAX_LOCKOUT) > 0 ? MAX_LOCKOUT : d;
    }

    private static Outcome refuse(String why, String who) {
        LOG.info("DIMSE association from {} refused: {}", who, why);
        return new Outcome(false, "", why);
    }

    private static Optional<String> utf8(byte[] b) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** The passcode as characters without an intermediate String, so it can be cleared after use. */
    private static char[] utf8Chars(byte[] b) {
        CharBuffer c = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(b));
        char[] out = new char[c.remaining()];
        c.get(out);
        Arrays.fill(c.array(), '\0');
        return out;
    }
}
