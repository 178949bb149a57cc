package org.pacs.storage.query;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.pacs.storage.QueryLevel;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomElement;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.VR;

/**
 * C-FIND semantics over the indexed attributes of stored instances (PS3.4 C.2.2.2, C.6). Every non-empty
 * attribute of the query that the index holds is a key; every attribute of the query is a return key. The
 * level comes from Query/Retrieve Level (0008,0052), default IMAGE, and there is one result per entity.
 * <p>Matching is relational: an entity matches when at least one of its instances matches every key, so a
 * STUDY query may carry a series key such as Modality. Keys on attributes the index does not keep are
 * treated as return keys only (they come back empty) rather than failing every match, as C.2.2.1.3 allows
 * for optional keys. Thread-safe and stateless.
 */
public final class QueryMatcher {

    public static final QueryMatcher DEFAULT = new QueryMatcher(false);

    private final boolean caseInsensitivePersonNames;

    /** @param caseInsensitivePersonNames PN keys ignore case, as many PACS offer for patient names */
    public QueryMatcher(boolean caseInsensitivePersonNames) {
        this.caseInsensitivePersonNames = caseInsensitivePersonNames;
    }

    public boolean caseInsensitivePersonNames() {
        return caseInsensitivePersonNames;
    }

    /**
     * @param query     keys and return keys, with an optional Query/Retrieve Level
     * @param instances the indexed attributes of every candidate instance (as {@link IndexedAttributes#extract})
     * @return one dataset per matching entity, ordered by the entity's unique key
     */
    public List<DicomDataset> find(DicomDataset query, Collection<DicomDataset> instances) {
        QueryLevel level = QueryLevel.parse(query.getString(Tag.QueryRetrieveLevel).orElse(null));
        Map<Integer, KeyMatcher> keys = compileKeys(query);
        Aggregates agg = needsAggregates(query) ? Aggregates.of(instances) : Aggregates.NONE;

        int entityTag = IndexedAttributes.uniqueKey(level);
        Map<String, DicomDataset> firstPerEntity = new TreeMap<>();
        for (DicomDataset inst : instances) {
            if (matchesAll(keys, inst, agg)) {
                firstPerEntity.putIfAbsent(inst.getString(entityTag, ""), inst);
            }
        }
        List<DicomDataset> out = new ArrayList<>(firstPerEntity.size());
        for (DicomDataset inst : firstPerEntity.values()) {
            out.add(result(query, level, inst, agg));
        }
        return out;
    }

    /** True when one instance's attributes satisfy every key of {@code query} (level ignored). */
    public boolean matches(DicomDataset query, DicomDataset instance) {
        return matchesAll(compileKeys(query), instance, Aggregates.NONE);
    }

    private Map<Integer, KeyMatcher> compileKeys(DicomDataset query) {
        Map<Integer, KeyMatcher> keys = new HashMap<>();
        for (DicomElement e : query.elements()) {
            if (!IndexedAttributes.isIndexed(e.tag()) || !e.vr().isString()) {
                continue;
            }
            KeyMatcher m = KeyMatcher.compile(IndexedAttributes.byTag(e.tag()).orElseThrow().vr(),
                    e.strings(), caseInsensitivePersonNames);
            if (!m.isUniversal()) {
                keys.put(e.tag(), m);
            }
        }
        return keys;
    }

    private static boolean matchesAll(Map<Integer, KeyMatcher> keys, DicomDataset inst, Aggregates agg) {
        for (Map.Entry<Integer, KeyMatcher> k : keys.entrySet()) {
            if (!k.getValue().test(values(k.getKey(), inst, agg))) {
                return false;
            }
        }
        return true;
    }

    private static List<String> values(int tag, DicomDataset inst, Aggregates agg) {
        IndexedAttribute a = IndexedAttributes.byTag(tag).orElse(null);
        if (a != null && a.derived()) {
            return agg.derived(tag, inst);
        }
        return inst.getStrings(tag);
    }

    private static DicomDataset result(DicomDataset query, QueryLevel level, DicomDataset inst, Aggregates agg) {
        DicomDataset r = new DicomDataset();
        for (DicomElement q : query.elements()) {
            int tag = q.tag();
            if (tag == Tag.QueryRetrieveLevel || tag == Tag.SpecificCharacterSet || Tag.group(tag) == 0x0002) {
                continue;
            }
            IndexedAttribute a = IndexedAttributes.byTag(tag).orElse(null);
            if (a == null) {
                // Not indexed: answered with a zero-length value of the VR asked, as for an unknown value.
                r.put(new DicomElement(tag, q.vr(), null, null, null, null));
            } else {
                // Attributes of lower levels describe many entities, so a higher-level result leaves them empty.
                List<String> v = a.level().ordinal() > level.ordinal() ? List.of() : values(tag, inst, agg);
                r.put(DicomElement.ofStrings(tag, a.vr(), v));
            }
        }
        // The unique keys of the level and its parents let a caller go on to retrieve or drill down.
        for (QueryLevel l : QueryLevel.values()) {
            if (l.ordinal() <= level.ordinal() && l != QueryLevel.PATIENT) {
                int uk = IndexedAttributes.uniqueKey(l);
                r.put(DicomElement.ofStrings(uk, IndexedAttributes.byTag(uk).orElseThrow().vr(), inst.getStrings(uk)));
            }
        }
        if (level == QueryLevel.PATIENT) {
            r.put(DicomElement.ofStrings(Tag.PatientID, IndexedAttributes.byTag(Tag.PatientID).orElseThrow().vr(),
                    inst.getStrings(Tag.PatientID)));
        }
        r.set(Tag.QueryRetrieveLevel, VR.CS, level.name());
        return r;
    }

    private static boolean needsAggregates(DicomDataset query) {
        for (DicomElement e : query.elements()) {
            IndexedAttribute a = IndexedAttributes.byTag(e.tag()).orElse(null);
            if (a != null && a.derived()) {
                return true;
            }
        }
        return false;
    }

    /** Study and series facts computed over every stored instance (not only matching ones), as C.6 asks. */
    private record Aggregates(Map<String, Set<String>> modalitiesByStudy, Map<String, Set<String>> seriesByStudy,
                              Map<String, Integer> instancesByStudy, Map<String, Integer> instancesBySeries) {

        static final Aggregates NONE = new Aggregates(Map.of(), Map.of(), Map.of(), Map.of());

        static Aggregates of(Collection<DicomDataset> instances) {
            Aggregates a = new Aggregates(new HashMap<>(), new HashMap<>(), new HashMap<>(), new HashMap<>());
            for (DicomDataset d : instances) {
                String study = d.getString(Tag.StudyInstanceUID, "");
                String series = d.getString(Tag.SeriesInstanceUID, "");
                d.getString(Tag.Modality).ifPresent(m ->
                        a.modalitiesByStudy.computeIfAbsent(study, k -> new TreeSet<>()).add(m));
                a.seriesByStudy.computeIfAbsent(study, k -> new HashSet<>()).add(series);
                a.instancesByStudy.merge(study, 1, Integer::sum);
                a.instancesBySeries.merge(series, 1, Integer::sum);
            }
            return a;
        }

        List<String> derived(int tag, DicomDataset inst) {
            String study = inst.getString(Tag.StudyInstanceUID, "");
            String series = inst.getString(Tag.SeriesInstanceUID, "");
            return switch (tag) {
                case Tag.ModalitiesInStudy -> List.copyOf(modalitiesByStudy.getOrDefault(study, Set.of()));
                case Tag.NumberOfStudyRelatedSeries -> count(seriesByStudy.getOrDefault(study, Set.of()).size());
                case Tag.NumberOfStudyRelatedInstances -> count(instancesByStudy.getOrDefault(study, 0));
                case Tag.NumberOfSeriesRelatedInstances -> count(instancesBySeries.getOrDefault(series, 0));
                default -> List.of();
            };
        }

        private static List<String> count(int n) {
            return n == 0 ? List.of() : List.of(Integer.toString(n));
        }
    }
}
