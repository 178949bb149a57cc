package org.pacs.storage.dimse;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

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
 */
final class UserIdentityCheck {

    private static final Logger LOG = LoggerFactory.getLogger(UserIdentityCheck.class);

    /** The identity is accepted as {@code user} ("" when anonymous), or refused for {@code why}. */
    record Outcome(boolean accepted, String user, String why) {
        static Outcome anonymous() {
            return new Outcome(true, "", "");
        }
    }

    private final SecurityStorage security;
    private final boolean required;

    /** @param security null when the server runs without a security database (then nothing can be required) */
    UserIdentityCheck(SecurityStorage security, boolean required) {
        if (required && security == null) {
            throw StorageException.invalidInput("dimse.require-user-identity is true but no security database is"
                    + " configured; set security.database, or set dimse.require-user-identity: false.");
        }
        this.security = security;
        this.required = required;
    }

    Outcome check(AssociatePdu.Identity id, String who) {
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
            return refuse("wrong user name or password for user '" + shown + "'", who);
        }
        return new Outcome(true, user.get().username(), "");
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
