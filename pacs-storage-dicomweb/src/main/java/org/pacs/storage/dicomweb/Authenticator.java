package org.pacs.storage.dicomweb;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.pacs.storage.StorageException;
import org.pacs.storage.security.Role;
import org.pacs.storage.security.SecurityStorage;
import org.pacs.storage.security.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP Basic authentication against the security store.
 * <p>A verified password costs a PBKDF2 run (~100 ms); its verdict is cached for {@link #CACHE_TTL} under a
 * SHA-256 of the credentials (the password itself is not kept), so a viewer's burst of requests pays once. A
 * cached user is re-read when the entry expires, so a disabled account stops working within the TTL.
 * <p>Failed logins are counted per username and per address; from {@link #FREE_FAILURES} failures on, further
 * attempts are refused with 429 and Retry-After without checking the password, for a wait that doubles with
 * every failure (up to {@link #MAX_LOCKOUT}). A success clears the user's count. Each failure is logged.
 */
final class Authenticator {

    static final Duration CACHE_TTL = Duration.ofSeconds(60);
    static final int FREE_FAILURES = 5;
    static final Duration FIRST_LOCKOUT = Duration.ofSeconds(2);
    static final Duration MAX_LOCKOUT = Duration.ofMinutes(15);
    /** Bounds both maps: an attacker cycling names or addresses cannot grow them without limit. */
    private static final int MAX_ENTRIES = 10_000;

    static final String REALM = "Basic realm=\"pacs-storage DICOMweb\", charset=\"UTF-8\"";
    static final String ANONYMOUS = "anonymous";

    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);

    private record Verdict(User user, Instant expires) {
    }

    private record Failures(int count, Instant lockedUntil) {
    }

    private final SecurityStorage security;
    private final DicomWebConfig.Anonymous anonymous;
    private final Clock clock;
    private final Map<String, Verdict> verdicts = new ConcurrentHashMap<>();
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final byte[] salt = randomSalt();

    Authenticator(SecurityStorage security, DicomWebConfig.Anonymous anonymous, Clock clock) {
        this.security = security;
        this.anonymous = anonymous;
        this.clock = clock;
    }

    /** The user the request speaks for; 401 without valid credentials, 429 while locked out. */
    User authenticate(String authorization, String address) {
        if (authorization == null || authorization.isBlank()) {
            if (anonymous == DicomWebConfig.Anonymous.VIEWER) {
                return User.of(ANONYMOUS, ANONYMOUS, Role.VIEWER);
            }
            throw unauthorized("This server needs a username and password (HTTP Basic authentication).");
        }
        if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw unauthorized("Only HTTP Basic authentication is accepted; send 'Authorization: Basic ...'.");
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(authorization.substring(6).trim());
        } catch (IllegalArgumentException e) {
            throw unauthorized("The Authorization header is not valid Base64 of username:password.");
        }
        int colon = indexOf(decoded, (byte) ':');
        if (colon <= 0) {
            throw unauthorized("The Authorization header must hold username:password.");
        }
        String username = new String(decoded, 0, colon, StandardCharsets.UTF_8);
        String key = fingerprint(decoded);
        Instant now = clock.instant();
        Verdict cached = verdicts.get(key);
        if (cached != null && now.isBefore(cached.expires())) {
            Arrays.fill(decoded, (byte) 0);
            return cached.user();
        }
        checkLockout("user:" + username.toLowerCase(java.util.Locale.ROOT), now, username);
        checkLockout("addr:" + address, now, username);
        char[] password = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(decoded, colon + 1,
                decoded.length - colon - 1)).array();
        Arrays.fill(decoded, (byte) 0);
        Optional<User> user;
        try {
            user = security.authenticate(username, password);
        } catch (StorageException e) {
            if (e.reason() != StorageException.Reason.INVALID_INPUT) {
                throw e;
            }
            user = Optional.empty(); // a username the store cannot even hold: just a failed login
        } finally {
            Arrays.fill(password, '\0');
        }
        if (user.isEmpty() || !user.get().active()) {
            recordFailure(username, address, now);
            throw unauthorized("Wrong username or password.");
        }
        failures.remove("user:" + username.toLowerCase(java.util.Locale.ROOT));
        if (verdicts.size() >= MAX_ENTRIES) {
            verdicts.entrySet().removeIf(e -> !now.isBefore(e.getValue().expires()));
            if (verdicts.size() >= MAX_ENTRIES) {
                verdicts.clear();
            }
        }
        verdicts.put(key, new Verdict(user.get(), now.plus(CACHE_TTL)));
        return user.get();
    }

    /** Forgets cached verdicts, e.g. after a user was changed through another path. */
    void clearCache() {
        verdicts.clear();
    }

    private void checkLockout(String key, Instant now, String username) {
        Failures f = failures.get(key);
        if (f != null && f.lockedUntil() != null && now.isBefore(f.lockedUntil())) {
            long wait = Math.max(1, Duration.between(now, f.lockedUntil()).toSeconds()
                    + (Duration.between(now, f.lockedUntil()).toNanosPart() > 0 ? 1 : 0));
            throw new HttpError(429, "Too many failed logins for " + (key.startsWith("user:") ? "user " + username
                    : "this address") + "; wait " + wait + " s before trying again.",
                    Map.of("Retry-After", Long.toString(wait)), Map.of());
        }
    }

    private void recordFailure(String username, String address, Instant now) {
        if (failures.size() >= MAX_ENTRIES) {
            failures.entrySet().removeIf(e -> e.getValue().lockedUntil() == null
                    || !now.isBefore(e.getValue().lockedUntil()));
        }
        for (String key : new String[] {"user:" + username.toLowerCase(java.util.Locale.ROOT), "addr:" + address}) {
            Failures f = failures.merge(key, new Failures(1, null), (old, one) -> {
                int n = old.count() + 1;
                return new Failures(n, n >= FREE_FAILURES ? now.plus(lockout(n)) : null);
            });
            if (f.lockedUntil() != null) {
                LOG.warn("{} failed logins for {} (latest as user '{}' from {}); refusing attempts until {}",
                        f.count(), key, printable(username), address, f.lockedUntil());
                return;
            }
        }
        LOG.info("failed login as user '{}' from {}", printable(username), address);
    }

    static Duration lockout(int failures) {
        int doublings = Math.min(30, failures - FREE_FAILURES);
        Duration d = FIRST_LOCKOUT.multipliedBy(1L << doublings);
        return d.compareTo(MAX_LOCKOUT) > 0 ? MAX_LOCKOUT : d;
    }

    private static HttpError unauthorized(String message) {
        return new HttpError(401, message, Map.of("WWW-Authenticate", REALM), Map.of());
    }

    /** Salted per process, so the cache keys in a heap dump are no fast offline test of a password. */
    private String fingerprint(byte[] credentials) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            return HexFormat.of().formatHex(sha.digest(credentials));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static byte[] randomSalt() {
        byte[] b = new byte[32];
        new java.security.SecureRandom().nextBytes(b);
        return b;
    }

    private static int indexOf(byte[] b, byte c) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static String printable(String s) {
        String t = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}
