package org.pacs.storage.cli.config;

import org.pacs.storage.dicomweb.DicomWebConfig;
import org.pacs.storage.dimse.DimseConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The effective configuration: where it came from, the tiers (hot always; warm and cold when configured) and
 * the CLI-owned sections with the spec's defaults filled in.
 */
public record CliConfig(String source, Map<String, TierConfig> tiers, CatalogConfig catalog, HsmConfig hsm,
                        MigrationConfig migration, SecurityConfig security, DimseConfig dimse,
                        DicomWebConfig dicomweb) {

    public static final String HOT = "hot";
    public static final String WARM = "warm";
    public static final String COLD = "cold";

    public CliConfig {
        Objects.requireNonNull(source, "source");
        tiers = Collections.unmodifiableMap(new LinkedHashMap<>(tiers));
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(hsm, "hsm");
        Objects.requireNonNull(migration, "migration");
        Objects.requireNonNull(security, "security");
    }

    public TierConfig hot() {
        return tiers.get(HOT);
    }

    public Optional<TierConfig> tier(String name) {
        return Optional.ofNullable(tiers.get(name));
    }

    /** The DIMSE listener's settings; empty when the file has no {@code dimse} section (serve starts none). */
    public Optional<DimseConfig> dimseSection() {
        return Optional.ofNullable(dimse);
    }

    /** The DICOMweb server's settings; empty when the file has no {@code dicomweb} section. */
    public Optional<DicomWebConfig> dicomwebSection() {
        return Optional.ofNullable(dicomweb);
    }

    public String catalogUrl() {
        return catalog.url();
    }
}
