package org.pacs.storage.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.pacs.storage.StorageException;

/**
 * A salted PBKDF2-HMAC-SHA256 password hash. The encoded form carries algorithm, iteration count and salt
 * ({@code pbkdf2-sha256$210000$salt$hash}) so the cost can be raised later: hashes below
 * {@link #ITERATIONS} report {@link #needsUpgrade()} and are re-hashed on the next successful login.
 *
 * <p>Neither the password nor the hash ever appears in {@link #toString()}, and instances are only created
 * from a password or from the database; {@code getUser} never hands one out.
 */
public final class PasswordHash {

    /** OWASP's 2023 minimum for PBKDF2-HMAC-SHA256. */
    public static final int ITERATIONS = 210_000;
    public static final int MIN_PASSWORD_LENGTH = 8;
    /** Bounds the hashing work an attacker can ask for with one huge password. */
    public static final int MAX_PASSWORD_LENGTH = 1024;

    static final String ALGORITHM = "pbkdf2-sha256";
    private static final String JCA_NAME = "PBKDF2WithHmacSHA256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    private PasswordHash(int iterations, byte[] salt, byte[] hash) {
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    /** Hashes {@code password} with a fresh random salt; slow on purpose (about a tenth of a second). */
    public static PasswordHash of(char[] password) {
        return of(password, ITERATIONS);
    }

    /** Package-private so tests can make an old, cheaper hash and watch it being upgraded. */
    static PasswordHash of(char[] password, int iterations) {
        requireAcceptable(password);
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return new PasswordHash(iterations, salt, derive(password, salt, iterations));
    }

    /** Checks the password rules without hashing, so callers can fail fast before a transaction. */
    public static void requireAcceptable(char[] password) {
        if (password == null || password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
            int length = password == null ? 0 : password.length;
            throw StorageException.invalidInput("The password has " + length + " characters; use "
                    + MIN_PASSWORD_LENGTH + " to " + MAX_PASSWORD_LENGTH + ".");
        }
    }

    /** Compares in constant time so the response time tells an attacker nothing about the stored hash. */
    public boolean matches(char[] password) {
        if (password == null || password.length == 0 || password.length > MAX_PASSWORD_LENGTH) {
            return false;
        }
        return MessageDigest.isEqual(hash, derive(password, salt, iterations));
    }

    /** True if this hash was made with fewer iterations than today's minimum. */
    public boolean needsUpgrade() {
        return iterations < ITERATIONS;
    }

    public int iterations() {
        return iterations;
    }

    /** The stored form. Package-private: only the storage writes it, and nobody should print it. */
    String encoded() {
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return ALGORITHM + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /** Parses the stored form; a damaged value is reported as corruption, without echoing it. */
    static PasswordHash decode(String encoded, String userId) {
        String[] parts = encoded == null ? new String[0] : encoded.split("\\$", -1);
        try {
            if (parts.length == 4 && parts[0].equals(ALGORITHM)) {
                int iterations = Integer.parseInt(parts[1]);
                byte[] salt = Base64.getDecoder().decode(parts[2]);
                byte[] hash = Base64.getDecoder().decode(parts[3]);
                if (iterations > 0 && salt.length >= SALT_BYTES && hash.length == HASH_BYTES) {
                    return new PasswordHash(iterations, salt, hash);
                }
            }
        } catch (IllegalArgumentException e) {
            // handled below: same message for every kind of damage
        }
        throw new StorageException(StorageException.Reason.CORRUPT, "The stored password of user "
                + Identifiers.quote(userId) + " is unreadable; set a new one with setPassword.");
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BYTES * 8);
        try {
            return SecretKeyFactory.getInstance(JCA_NAME).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw StorageException.internal("This Java runtime lacks " + JCA_NAME + "; use a standard JDK 17.", e);
        } finally {
            spec.clearPassword();
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PasswordHash that && MessageDigest.isEqual(
                encoded().getBytes(StandardCharsets.US_ASCII), that.encoded().getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(salt);
    }

    @Override
    public String toString() {
        return "PasswordHash[" + ALGORITHM + ", " + iterations + " iterations, value hidden]";
    }
}
