package org.pacs.storage.hsm.service;

import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.pacs.storage.hsm.MigrationResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the caller's callbacks so that whatever they throw is logged and never reaches a service thread. */
public final class Callbacks {

    private static final Logger LOG = LoggerFactory.getLogger(Callbacks.class);

    private final Consumer<MigrationResult> onCycleComplete;
    private final BiConsumer<String, String> onMigrationError;

    public Callbacks(Consumer<MigrationResult> onCycleComplete, BiConsumer<String, String> onMigrationError) {
        this.onCycleComplete = onCycleComplete;
        this.onMigrationError = onMigrationError;
    }

    public void cycleComplete(MigrationResult result) {
        try {
            onCycleComplete.accept(result);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            LOG.warn("on_cycle_complete callback threw {}; the service carries on", t.toString(), t);
        }
    }

    public void migrationError(String uid, String message) {
        try {
            onMigrationError.accept(uid, message);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            LOG.warn("on_migration_error callback threw {} for {}; the service carries on", t.toString(), uid, t);
        }
    }
}
