package org.pacs.storage.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.security.Role;
import org.pacs.storage.security.SecurityStorage;
import org.pacs.storage.security.SqliteSecurityStorage;
import org.pacs.storage.security.User;

/** The password cache and the login throttle, on a real SQLite security store and a clock moved by hand. */
class AuthenticatorTest {

    @TempDir
    Path dir;
    SqliteSecurityStorage store;
    final DicomWebFixture.MutableClock clock = new DicomWebFixture.MutableClock();
    final AtomicInteger passwordChecks = new AtomicInteger();
    Authenticator auth;

    @BeforeEach
    void setUp() {
        store = new SqliteSecurityStorage(dir.resolve("security.db"), clock);
        store.createUser(User.of("u1", "victor", Role.VIEWER).withPassword(DicomWebFixture.PASSWORD.toCharArray()));
        // Delegates every call to the real store; only counts how often a password is checked.
        SecurityStorage counting = (SecurityStorage) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {SecurityStorage.class}, (p, m, args) -> {
                    if (m.getName().equals("authenticate")) {
                        passwordChecks.incrementAndGet();
                    }
                    try {
                        return m.invoke(store, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        auth = new Authenticator(counting, DicomWebConfig.Anonymous.NONE, clock);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aVerifiedPasswordIsNotHashedAgainUntilTheCacheExpires() {
        String good = basic("victor", DicomWebFixture.PASSWORD);
        for (int i = 0; i < 20; i++) {
            assertThat(auth.authenticate(good, "127.0.0.1").username()).isEqualTo("victor");
        }
        assertThat(passwordChecks).hasValue(1);
        clock.advance(Authenticator.CACHE_TTL);
        auth.authenticate(good, "127.0.0.1");
        assertThat(passwordChecks).hasValue(2);
        // A wrong password never rides on the cached verdict of the right one.
        assertThatThrownBy(() -> auth.authenticate(basic("victor", "wrong password"), "127.0.0.1"))
                .isInstanceOf(HttpError.class).extracting(e -> ((HttpError) e).status()).isEqualTo(401);
    }

    @Test
    void repeatedFailuresLockTheUserOutForADoublingTime() {
        String bad = basic("victor", "not the password");
        for (int i = 0; i < Authenticator.FREE_FAILURES; i++) {
            String address = "10.0.0." + (i % 2);
            assertThatThrownBy(() -> auth.authenticate(bad, address))
                    .extracting(e -> ((HttpError) e).status()).isEqualTo(401);
        }
        int checks = passwordChecks.get();
        String good = basic("victor", DicomWebFixture.PASSWORD);
        assertThatThrownBy(() -> auth.authenticate(good, "10.0.0.9"))
                .isInstanceOfSatisfying(HttpError.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.headers()).containsEntry("Retry-After", "2");
                    assertThat(e.getMessage()).contains("Too many failed logins for user victor");
                });
        assertThat(passwordChecks).as("no password is checked while locked out").hasValue(checks);
        clock.advance(Authenticator.FIRST_LOCKOUT);
        assertThat(auth.authenticate(good, "10.0.0.9").username()).isEqualTo("victor");
        assertThat(Authenticator.lockout(Authenticator.FREE_FAILURES + 1)).isEqualTo(Duration.ofSeconds(4));
        assertThat(Authenticator.lockout(1000)).isEqualTo(Authenticator.MAX_LOCKOUT);
    }

    @Test
    void oneAddressTryingManyNamesIsLockedOut() {
        for (int i = 0; i < Authenticator.FREE_FAILURES; i++) {
            String name = "user" + i;
            assertThatThrownBy(() -> auth.authenticate(basic(name, "x"), "192.0.2.7")).isInstanceOf(HttpError.class);
        }
        assertThatThrownBy(() -> auth.authenticate(basic("victor", DicomWebFixture.PASSWORD), "192.0.2.7"))
                .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(429));
        assertThat(auth.authenticate(basic("victor", DicomWebFixture.PASSWORD), "192.0.2.8").username())
                .isEqualTo("victor");
    }

    @Test
    void garbageCredentialsAre401WithAMessage() {
        for (String h : new String[] {"Bearer abc", "Basic !!!", "Basic " + Base64.getEncoder().encodeToString(
                "no-colon".getBytes()), "Basic " + Base64.getEncoder().encodeToString("'; DROP TABLE users;--:x"
                .getBytes())}) {
            assertThatThrownBy(() -> auth.authenticate(h, "127.0.0.1")).isInstanceOfSatisfying(HttpError.class,
                    e -> {
                        assertThat(e.status()).isEqualTo(401);
                        assertThat(e.headers()).containsKey("WWW-Authenticate");
                    });
        }
        assertThat(store.listUsers()).hasSize(1);
    }
}
