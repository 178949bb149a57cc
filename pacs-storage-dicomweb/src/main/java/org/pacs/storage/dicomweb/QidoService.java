package org.pacs.storage.dicomweb;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pacs.storage.QueryLevel;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.VR;
import org.pacs.storage.query.QueryMatcher;

/**
 * QIDO-RS (PS3.18 §10.6): searches through {@link StorageBackend#find} with the archive's matching, answered
 * in the DICOM JSON model with a RetrieveURL per result. Paging is applied to the found list here; a catalog
 * with SQL paging can take it over without changing the parameters.
 */
final class QidoService {

    /** Case-insensitive person names for fuzzymatching=true (PS3.18 §8.3.4.6 leaves the method to us). */
    private static final QueryMatcher FUZZY = new QueryMatcher(true);

    private final StorageBackend archive;

    QidoService(StorageBackend archive) {
        this.archive = archive;
    }

    void search(Exchange ex, QueryLevel level, Map<Integer, String> fixedKeys) throws IOException {
        requireJsonAccepted(ex);
        QidoQuery q = QidoQuery.parse(level, fixedKeys, ex.query());
        int max = q.limit() < 0 ? QidoQuery.MAX_RESULTS : q.limit();
        List<DicomDataset> page;
        boolean more;
        if (q.fuzzy() && !q.personNameKeys().isEmpty()) {
            // fuzzy person names are matched here, after the archive's find, so this answer is cut here too
            DicomDataset names = q.personNameQuery();
            List<DicomDataset> found = archive.find(q.backendQuery()).stream()
                    .filter(d -> FUZZY.matches(names, d)).toList();
            int from = (int) Math.min(found.size(), (long) q.offset());
            int to = (int) Math.min(found.size(), (long) from + max);
            page = found.subList(from, to);
            more = to < found.size();
        } else {
            // one more than asked tells whether another page follows; the archive pages in its catalog's SQL
            List<DicomDataset> found = archive.find(q.backendQuery(), max == Integer.MAX_VALUE ? max : max + 1,
                    q.offset());
            more = found.size() > max;
            page = more ? found.subList(0, max) : found;
        }
        if (more) {
            ex.setHeader("Warning", "299 pacs-storage: \"There are more results; ask again with offset="
                    + ((long) q.offset() + page.size()) + "\"");
        }
        for (DicomDataset d : page) {
            d.getUid(Tag.StudyInstanceUID).ifPresent(ex.studies::add);
        }
        List<DicomDataset> out = new ArrayList<>(page.size());
        for (DicomDataset d : page) {
            DicomDataset r = d.copy();
            r.remove(Tag.QueryRetrieveLevel);
            r.set(StowService.RETRIEVE_URL, VR.UR, retrieveUrl(ex, level, r));
            out.add(r);
        }
        ex.json(200, MediaType.DICOM_JSON, g -> {
            g.writeStartArray();
            for (DicomDataset d : out) {
                DicomJson.write(g, d);
            }
            g.writeEndArray();
        });
    }

    private static String retrieveUrl(Exchange ex, QueryLevel level, DicomDataset r) {
        String url = ex.baseUrl() + "/studies/" + r.getUid(Tag.StudyInstanceUID).orElse("");
        if (level == QueryLevel.SERIES || level == QueryLevel.IMAGE) {
            url += "/series/" + r.getUid(Tag.SeriesInstanceUID).orElse("");
        }
        if (level == QueryLevel.IMAGE) {
            url += "/instances/" + r.getUid(Tag.SOPInstanceUID).orElse("");
        }
        return url;
    }

    static void requireJsonAccepted(Exchange ex) {
        for (MediaType m : MediaType.parseAccept(ex.header("Accept"))) {
            if (m.quality() > 0 && (m.covers(MediaType.DICOM_JSON) || m.covers("application/json"))) {
                return;
            }
        }
        throw new HttpError(406, "This server answers searches and metadata in application/dicom+json only;"
                + " accept that media type.");
    }
}
