package org.pacs.storage.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.pacs.storage.QueryLevel;
import org.pacs.storage.StorageException;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomDictionary;
import org.pacs.storage.dicom.DicomElement;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.VR;

/**
 * Turns {@code --level} and {@code KEY=VALUE} arguments into a C-FIND style query dataset (keys plus the level's
 * usual return keys) and the results into rows keyed by DICOM keyword.
 */
final class QueryBuilder {

    private static final Map<QueryLevel, List<Integer>> RETURN_KEYS = Map.of(
            QueryLevel.PATIENT, List.of(Tag.PatientID, Tag.PatientName, Tag.PatientBirthDate, Tag.PatientSex),
            QueryLevel.STUDY, List.of(Tag.PatientID, Tag.PatientName, Tag.StudyInstanceUID, Tag.StudyDate,
                    Tag.AccessionNumber, Tag.StudyDescription, Tag.ModalitiesInStudy),
            QueryLevel.SERIES, List.of(Tag.PatientID, Tag.StudyInstanceUID, Tag.SeriesInstanceUID, Tag.Modality,
                    Tag.SeriesNumber, Tag.SeriesDescription),
            QueryLevel.IMAGE, List.of(Tag.PatientID, Tag.StudyInstanceUID, Tag.SeriesInstanceUID,
                    Tag.SOPInstanceUID, Tag.SOPClassUID, Tag.InstanceNumber));

    private final QueryLevel level;
    private final DicomDataset query = new DicomDataset();
    private final List<Integer> columns = new ArrayList<>();

    QueryBuilder(String levelText, List<String> keys) {
        try {
            level = QueryLevel.parse(levelText);
        } catch (StorageException e) {
            throw new UsageException("Unknown --level '" + levelText + "'; accepted: patient, study, series,"
                    + " instance.", e);
        }
        query.set(Tag.QueryRetrieveLevel, VR.CS, level.name());
        for (int tag : RETURN_KEYS.get(level)) {
            setEmpty(tag);
        }
        for (String kv : keys) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("'" + kv + "' is not KEY=VALUE; write e.g. PatientID=PID123.");
            }
            String keyword = kv.substring(0, eq);
            String value = kv.substring(eq + 1);
            DicomDictionary.Entry entry = DicomDictionary.byKeyword(keyword)
                    .filter(e -> e.vr().isString())
                    .orElseThrow(() -> new UsageException("Unknown or non-text DICOM keyword '" + keyword
                            + "'; use a keyword such as PatientID, PatientName, StudyDate, Modality,"
                            + " AccessionNumber, StudyInstanceUID, SeriesInstanceUID or SOPInstanceUID."));
            String[] values = entry.vr() == VR.UI ? value.split("\\\\") : new String[] {value};
            query.set(entry.tag(), entry.vr(), values);
            if (!columns.contains(entry.tag())) {
                columns.add(entry.tag());
            }
        }
    }

    private void setEmpty(int tag) {
        VR vr = DicomDictionary.vrOf(tag);
        if (vr.isString()) {
            query.set(tag, vr);
            columns.add(tag);
        }
    }

    DicomDataset dataset() {
        return query;
    }

    String levelName() {
        return level == QueryLevel.IMAGE ? "instance" : level.name().toLowerCase(Locale.ROOT);
    }

    String levelName(int count) {
        String n = levelName();
        return count == 1 || n.equals("series") ? n : n.equals("study") ? "studies" : n + "s";
    }

    List<Map<String, Object>> rows(List<DicomDataset> results) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (DicomDataset d : results) {
            Map<String, Object> row = new LinkedHashMap<>();
            Set<Integer> tags = new LinkedHashSet<>(columns);
            for (DicomElement e : d.elements()) {
                tags.add(e.tag());
            }
            for (int tag : tags) {
                if (tag == Tag.QueryRetrieveLevel || Tag.group(tag) == 0x0002) {
                    continue;
                }
                List<String> v = d.getStrings(tag);
                if (!v.isEmpty() || columns.contains(tag)) {
                    row.put(DicomDictionary.keywordOf(tag), String.join("\\", v));
                }
            }
            rows.add(row);
        }
        return rows;
    }

    /** Aligned columns for a person; the JSON form carries the same rows. */
    static String table(List<Map<String, Object>> rows) {
        if (rows.isEmpty()) {
            return "";
        }
        List<String> cols = new ArrayList<>(new LinkedHashSet<>(rows.stream()
                .flatMap(r -> r.keySet().stream()).toList()));
        Map<String, Integer> width = new LinkedHashMap<>();
        for (String c : cols) {
            int w = c.length();
            for (Map<String, Object> r : rows) {
                w = Math.max(w, String.valueOf(r.getOrDefault(c, "")).length());
            }
            width.put(c, w);
        }
        StringBuilder sb = new StringBuilder();
        appendRow(sb, cols, width, c -> c);
        for (Map<String, Object> r : rows) {
            appendRow(sb, cols, width, c -> String.valueOf(r.getOrDefault(c, "")));
        }
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, List<String> cols, Map<String, Integer> width,
                                  java.util.function.Function<String, String> cell) {
        StringBuilder line = new StringBuilder();
        for (String c : cols) {
            String v = cell.apply(c);
            line.append(v).append(" ".repeat(width.get(c) - v.length() + 2));
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }
}
