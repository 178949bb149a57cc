package org.pacs.storage.dimse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pacs.storage.StorageException;
import org.pacs.storage.dicom.TransferSyntax;
import org.pacs.storage.file.FileStorage;
import org.pacs.storage.file.FileStorageConfig;
import org.pacs.storage.security.Role;
import org.pacs.storage.security.SecurityStorage;
import org.pacs.storage.security.SqliteSecurityStorage;
import org.pacs.storage.security.User;

/**
 * User Identity negotiation (PS3.7 D.3.3.7) with DCMTK's storescu ({@code --user}, {@code --password},
 * {@code --pos-response}) against a real security database: a right password associates and names the user in the
 * audit rows; a wrong one, an unknown or disabled user, or (when required) none at all is rejected with result 1,
 * source 1, reason 1, and nothing is stored.
 */
class UserIdentityTest extends DimseTestBed {

    static final String PASSWORD = "correct horse battery";
    SecurityStorage security;
    Path ct;

    @BeforeEach
    void users() {
        assumeTrue(Dcmtk.available("storescu") && Corpus.present(), "DCMTK storescu or pydicom samples are missing");
        ct = Corpus.PYDICOM.resolve("CT_small.dcm");
        security = new SqliteSecurityStorage(dir.resolve("security.db"));
        security.createUser(User.of("u-tina", "tina", Role.TECHNOLOGIST).withPassword(PASSWORD.toCharArray()));
        security.createUser(User.of("u-gone", "gone", Role.TECHNOLOGIST).withPassword(PASSWORD.toCharArray()));
        security.setActive(SecurityStorage.SYSTEM_ACTOR, "u-gone", false);
        archive = new FileStorage(FileStorageConfig.of(dir.resolve("archive")).withFsync(false));
    }

    @AfterEach
    void closeSecurity() {
        if (security != null) {
            security.close();
        }
    }

    private void startWith(boolean required) {
        server = new DimseServer(config().withRequireUserIdentity(required), archive, events::add, security).start();
    }

    private Dcmtk.Result storescu(String... identity) throws Exception {
        List<String> cmd = Dcmtk.cmd("storescu", "-v", "-aec", "PACS");
        cmd.addAll(List.of(identity));
        cmd.addAll(List.of("127.0.0.1", port(), ct.toString()));
        return Dcmtk.run(cmd);
    }

    private static void assertRejectedByUser(Dcmtk.Result r) {
        assertThat(r.exit()).as(r.output()).isNotZero();
        assertThat(r.output()).as(r.output()).contains("Association Rejected")
                .contains("Rejected Permanent").contains("Service User").contains("No Reason");
    }

    @Test
    void theRightPasswordAssociatesConfirmsAndNamesTheUserInTheAudit() throws Exception {
        startWith(true);
        Dcmtk.Result r = storescu("--user", "tina", "--password", PASSWORD, "--pos-response");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).doesNotContain("Rejected");
        assertThat(archive.list()).hasSize(1);
        assertThat(events).filteredOn(e -> e.operation().equals("C-STORE")).singleElement()
                .satisfies(e -> assertThat(e.user()).isEqualTo("tina"));
        assertThat(events).filteredOn(e -> e.operation().equals("ASSOCIATE")).singleElement()
                .satisfies(e -> assertThat(e.user()).isEqualTo("tina"));
    }

    @Test
    void wrongPasswordUnknownOrDisabledUserAndNoIdentityAreRejectedWhenRequired() throws Exception {
        startWith(true);
        assertRejectedByUser(storescu("--user", "tina", "--password", "wrong password!"));
        assertRejectedByUser(storescu("--user", "nobody", "--password", PASSWORD));
        assertRejectedByUser(storescu("--user", "gone", "--password", PASSWORD));
        assertRejectedByUser(storescu("--user", "tina", "--empty-password"));
        assertRejectedByUser(storescu());
        assertThat(archive.list()).isEmpty();
        assertThat(events).filteredOn(e -> e.operation().equals("REJECT")).hasSize(5)
                .allSatisfy(e -> assertThat(e.status()).isEqualTo(1));
        assertThat(events).filteredOn(e -> e.operation().equals("REJECT")).first()
                .satisfies(e -> assertThat(e.subject()).contains("wrong user name or password"));
    }

    @Test
    void notRequiredAnAnonymousOrUserNameOnlyPeerAssociatesButWrongCredentialsStillDoNot() throws Exception {
        startWith(false);
        assertThat(storescu().exit()).isZero(); // the usual modality: no identity at all
        Dcmtk.Result named = storescu("--user", "tina"); // type 1: the user name of an active user
        assertThat(named.exit()).as(named.output()).isZero();
        assertRejectedByUser(storescu("--user", "nobody"));
        assertRejectedByUser(storescu("--user", "tina", "--password", "wrong password!"));
        assertThat(events).filteredOn(e -> e.operation().equals("C-STORE")).extracting(DimseAuditSink.Event::user)
                .containsExactly("", "tina");
    }

    @Test
    void aVerifiedUserIsHeldToItsRolesForEachOperation() throws Exception {
        security.createUser(User.of("u-vera", "vera", Role.VIEWER).withPassword(PASSWORD.toCharArray()));
        startWith(false);

        // a viewer associates, but its C-STORE is refused (0124, Not Authorized) with the reason, and audited
        Dcmtk.Result refused = storescu("--user", "vera", "--password", PASSWORD);
        assertThat(refused.output()).as(refused.output()).doesNotContain("Association Rejected")
                .contains("Store Response").containsIgnoringCase("status: 0x124"); // DCMTK names no general status
        assertThat(archive.list()).isEmpty();
        assertThat(events).filteredOn(e -> e.operation().equals("C-STORE")).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(Status.NOT_AUTHORIZED);
            assertThat(e.user()).isEqualTo("vera");
            assertThat(e.subject()).contains("VIEWER").contains("ask an administrator");
        });

        // a technologist stores under the same server
        Dcmtk.Result stored = storescu("--user", "tina", "--password", PASSWORD);
        assertThat(stored.exit()).as(stored.output()).isZero();
        assertThat(archive.list()).hasSize(1);
    }

    /**
     * The decision each operation's gate asks (C-STORE: WRITE; C-FIND, C-GET, C-MOVE: READ). DCMTK 3.6.7 sends a
     * user identity from storescu only, so the READ side is checked here rather than through findscu.
     */
    @Test
    void theGateGrantsByRoleAndTrustsAnAnonymousPeerByItsAeTitle() {
        User vera = User.of("u-vera", "vera", Role.VIEWER);
        User tina = User.of("u-tina", "tina", Role.TECHNOLOGIST);
        Session viewer = new Session("MOD", "PACS", "vera", vera, "127.0.0.1", null, null, null, null);
        Session technologist = new Session("MOD", "PACS", "tina", tina, "127.0.0.1", null, null, null, null);
        Session anonymous = new Session("MOD", "PACS", "127.0.0.1", null, null, null);
        Session disabled = new Session("MOD", "PACS", "gone", tina.withActive(false), "127.0.0.1", null, null, null,
                null);

        assertThat(viewer.denied(org.pacs.storage.security.Action.READ)).isEmpty();
        assertThat(viewer.denied(org.pacs.storage.security.Action.WRITE)).get().asString()
                .contains("'vera'").contains("VIEWER").contains("may not write studies");
        assertThat(technologist.denied(org.pacs.storage.security.Action.WRITE)).isEmpty();
        assertThat(anonymous.denied(org.pacs.storage.security.Action.WRITE)).isEmpty();
        assertThat(disabled.denied(org.pacs.storage.security.Action.READ)).isPresent();
    }

    @Test
    void requiringAnIdentityWithoutASecurityDatabaseIsAConfigurationError() {
        assertThatThrownBy(() -> new DimseServer(config().withRequireUserIdentity(true), archive, events::add, null))
                .isInstanceOf(StorageException.class).hasMessageContaining("dimse.require-user-identity");
    }

    @Test
    void theIdentitySubItemRoundTripsAndThePasscodeIsNeverPrinted() throws Exception {
        AssociatePdu.Identity id = new AssociatePdu.Identity(2, true, "tina".getBytes(StandardCharsets.UTF_8),
                PASSWORD.getBytes(StandardCharsets.UTF_8));
        AssociatePdu rq = new AssociatePdu(false, "PACS", "SCU", AssociatePdu.DICOM_APPLICATION_CONTEXT,
                List.of(new AssociatePdu.Context(1, 0, SopClasses.VERIFICATION,
                        List.of(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN))),
                new AssociatePdu.UserInfo(16384, "1.2.3", "X", List.of(), false, id, false));
        AssociatePdu parsed = AssociatePdu.parse(false, rq.encode());
        assertThat(parsed.userInfo().identity().primary()).isEqualTo(id.primary());
        assertThat(parsed.userInfo().identity().secondary()).isEqualTo(id.secondary());
        assertThat(parsed.userInfo().identity().responseRequested()).isTrue();
        assertThat(parsed.toString()).doesNotContain(PASSWORD);
        Negotiator.Decision d = new Negotiator(DimseConfig.defaults(), new UserIdentityCheck(security, true))
                .decide(parsed);
        assertThat(d.user()).isEqualTo("tina");
        assertThat(AssociatePdu.parse(true, d.accept().encode()).userInfo().identityResponse()).isTrue();
        // every truncation or overlong field length inside the sub-item is a protocol error, nothing else
        byte[] good = rq.encode();
        int at = indexOf(good, (byte) 0x58);
        for (int i = at + 4; i < good.length; i++) {
            for (byte v : new byte[] {(byte) 0xFF, 0x00, 0x7F}) {
                byte[] bad = good.clone();
                bad[i] = v;
                try {
                    AssociatePdu.parse(false, bad);
                } catch (ProtocolException e) {
                    assertThat(e.getMessage()).isNotBlank();
                }
            }
        }
    }

    private static int indexOf(byte[] b, byte v) {
        for (int i = b.length - 1; i >= 0; i--) {
            // the identity item is the last sub-item: search from the end, where its type byte starts it
            if (b[i] == v && i + 3 < b.length && b[i + 1] == 0) {
                return i;
            }
        }
        throw new AssertionError("no user identity item");
    }

    @Test
    void guessingIsThrottledPerUserAndAddressAndASuccessClearsTheCount() {
        Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        UserIdentityCheck check = new UserIdentityCheck(security, true, clock);
        java.util.function.Function<String, UserIdentityCheck.Outcome> attempt = pw -> check.check(
                new AssociatePdu.Identity(2, false, "tina".getBytes(StandardCharsets.UTF_8),
                        pw.getBytes(StandardCharsets.UTF_8)), "SCU", "10.0.0.9");
        for (int i = 0; i < UserIdentityCheck.FREE_FAILURES; i++) {
            assertThat(attempt.apply("guess " + i).why()).contains("wrong user name or password");
        }
        // locked now: even the right password is refused, without being checked
        UserIdentityCheck.Outcome locked = attempt.apply(PASSWORD);
        assertThat(locked.accepted()).isFalse();
        assertThat(locked.why()).contains("too many failed identities").contains("retry in 2 s");
        now[0] = now[0].plusSeconds(3);
        assertThat(attempt.apply(PASSWORD).accepted()).isTrue();
        // the success cleared the user's count: one more failure does not lock again
        assertThat(attempt.apply("one more guess").why()).contains("wrong user name or password");
        assertThat(UserIdentityCheck.lockout(UserIdentityCheck.FREE_FAILURES + 1)).isEqualTo(Duration.ofSeconds(4));
        assertThat(UserIdentityCheck.lockout(1000)).isEqualTo(UserIdentityCheck.MAX_LOCKOUT);
    }
}
