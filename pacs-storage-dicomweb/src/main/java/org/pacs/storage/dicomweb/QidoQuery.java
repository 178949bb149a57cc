package org.pacs.storage.dicomweb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.util.Fields;
import org.pacs.storage.QueryLevel;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomDictionary;
import org.pacs.storage.dicom.DicomElement;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.VR;
import org.pacs.storage.query.IndexedAttributes;

/**
 * The parameters of one QIDO-RS request (PS3.18 §8.3.4, §10.6.1) turned into a C-FIND style query data set:
 * match keys (keyword or tag), {@code includefield} return keys (or {@code all}), the level's default return
 * attributes, {@code limit}, {@code offset} and {@code fuzzymatching}. Anything it cannot honour is a 400 that
 * names the parameter, never silently ignored.
 */
record QidoQuery(DicomDataset query, Map<Integer, List<String>> personNameKeys, boolean fuzzy, int limit,
                 int offset) {

    /** Without a limit a search returns at most this many results (and says so in a Warning header). */
    static final int MAX_RESULTS = 10_000;

    private static final int[] STUDY_DEFAULTS = {Tag.StudyDate, Tag.StudyTime, Tag.AccessionNumber,
        Tag.ModalitiesInStudy, Tag.ReferringPhysicianName, Tag.PatientName, Tag.PatientID, Tag.PatientBirthDate,
        Tag.PatientSex, Tag.StudyInstanceUID, Tag.StudyID, Tag.StudyDescription, Tag.NumberOfStudyRelatedSeries,
        Tag.NumberOfStudyRelatedInstances};
    private static final int[] SERIES_DEFAULTS = {Tag.Modality, Tag.SeriesDescription, Tag.SeriesInstanceUID,
        Tag.SeriesNumber, Tag.NumberOfSeriesRelatedInstances, Tag.StudyInstanceUID};
    private static final int[] INSTANCE_DEFAULTS = {Tag.SOPClassUID, Tag.SOPInstanceUID, Tag.InstanceNumber,
        Tag.NumberOfFrames, Tag.StudyInstanceUID, Tag.SeriesInstanceUID};

    static QidoQuery parse(QueryLevel level, Map<Integer, String> fixedKeys, Fields params) {
        DicomDataset q = new DicomDataset();
        q.set(Tag.QueryRetrieveLevel, VR.CS, level.name());
        for (int tag : defaults(level)) {
            returnKey(q, tag);
        }
        Map<Integer, List<String>> personNames = new LinkedHashMap<>();
        boolean fuzzy = false;
        int limit = -1;
        int offset = 0;
        Set<Integer> include = new LinkedHashSet<>();
        for (Fields.Field f : params) {
            String name = f.getName();
            List<String> values = f.getValues();
            switch (name.toLowerCase(java.util.Locale.ROOT)) {
                case "limit" -> limit = integer(name, values, 1);
                case "offset" -> offset = integer(name, values, 0);
                case "fuzzymatching" -> fuzzy = bool(name, values);
                case "includefield" -> {
                    for (String v : values) {
                        for (String field : v.split(",")) {
                            if (field.isBlank()) {
                                continue;
                            }
                            if (field.trim().equalsIgnoreCase("all")) {
                                IndexedAttributes.all().stream()
                                        .filter(a -> a.level().ordinal() <= level.ordinal())
                                        .forEach(a -> include.add(a.tag()));
                            } else {
                                include.add(tagOf(field.trim(), "includefield"));
                            }
                        }
                    }
                }
                default -> {
                    int tag = tagOf(name, "query key");
                    if (values.size() != 1) {
                        throw new HttpError(400, "Query key " + name + " is given " + values.size() + " times; give it"
                                + " once (a list of UIDs is one value separated by commas).");
                    }
                    key(q, tag, values.get(0), personNames);
                }
            }
        }
        for (int tag : include) {
            if (!q.contains(tag)) {
                returnKey(q, tag);
            }
        }
        fixedKeys.forEach((tag, value) -> q.set(tag, VR.UI, value));
        return new QidoQuery(q, personNames, fuzzy, limit, offset);
    }

    private static int[] defaults(QueryLevel level) {
        return switch (level) {
            case STUDY, PATIENT -> STUDY_DEFAULTS;
            case SERIES -> SERIES_DEFAULTS;
            case IMAGE -> INSTANCE_DEFAULTS;
        };
    }

    private static void key(DicomDataset q, int tag, String value, Map<Integer, List<String>> personNames) {
        VR vr = vrOf(tag);
        if (!vr.isString()) {
            throw new HttpError(400, "Matching on " + DicomDictionary.keywordOf(tag) + " (VR " + vr + ") is not"
                    + " supported; match on text, date, time or UID attributes, and use includefield to return it.");
        }
        // QIDO separates the UIDs of a list with commas (PS3.18 §8.3.4.1); C-FIND with backslashes.
        String v = vr == VR.UI ? value.replace(',', '\\') : value;
        List<String> values = List.of(v.split("\\\\", -1));
        q.put(DicomElement.ofStrings(tag, vr, values));
        if (vr == VR.PN) {
            personNames.put(tag, values);
        }
    }

    private static void returnKey(DicomDataset q, int tag) {
        q.put(new DicomElement(tag, vrOf(tag), null, null, null, null));
    }

    static VR vrOf(int tag) {
        return IndexedAttributes.byTag(tag).map(a -> a.vr()).orElseGet(() -> DicomDictionary.vrOf(tag));
    }

    /** A keyword (PatientName) or 8 hex digits (00100010); sequences (dotted paths) are not offered. */
    static int tagOf(String name, String what) {
        String n = name.trim();
        if (n.matches("[0-9A-Fa-f]{8}")) {
            return Integer.parseUnsignedInt(n, 16);
        }
        Optional<Integer> byKeyword = DicomDictionary.byKeyword(n).map(DicomDictionary.Entry::tag)
                .or(() -> IndexedAttributes.all().stream().filter(a -> a.keyword().equals(n)).map(a -> a.tag())
                        .findFirst());
        if (byKeyword.isPresent()) {
            return byKeyword.get();
        }
        String shown = n.length() > 64 ? n.substring(0, 64) + "..." : n;
        String hint = n.contains(".") ? " Matching inside sequences (dotted attribute paths) is not supported." : "";
        throw new HttpError(400, "Unknown " + what + " '" + shown.replaceAll("\\p{Cntrl}", "?") + "': use a DICOM"
                + " keyword such as PatientName or a tag of 8 hex digits such as 00100010, or limit, offset,"
                + " includefield, fuzzymatching." + hint);
    }

    private static int integer(String name, List<String> values, int min) {
        String v = values.get(values.size() - 1).trim();
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= Integer.MAX_VALUE) {
                return (int) n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        String shown = v.length() > 30 ? v.substring(0, 30) + "..." : v;
        throw new HttpError(400, name + "=" + shown.replaceAll("\\p{Cntrl}", "?") + " is not allowed; give a whole"
                + " number from " + min + " to " + Integer.MAX_VALUE + ".");
    }

    private static boolean bool(String name, List<String> values) {
        String v = values.get(values.size() - 1).trim();
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new HttpError(400, name + " must be true or false.");
    }

    /** The backend query: with fuzzy matching, person name keys become return keys and are matched afterwards. */
    DicomDataset backendQuery() {
        if (!fuzzy || personNameKeys.isEmpty()) {
            return query;
        }
        DicomDataset q = query.copy();
        personNameKeys.keySet().forEach(tag -> returnKey(q, tag));
        return q;
    }

    /** The person name keys alone, for case-insensitive matching of the results. */
    DicomDataset personNameQuery() {
        DicomDataset q = new DicomDataset();
        personNameKeys.forEach((tag, values) -> q.put(DicomElement.ofStrings(tag, VR.PN, new ArrayList<>(values))));
        return q;
    }
}
