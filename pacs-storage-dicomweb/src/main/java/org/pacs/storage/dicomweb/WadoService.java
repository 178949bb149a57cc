package org.pacs.storage.dicomweb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.VR;

/**
 * WADO-RS (PS3.18 §10.4): instances as multipart/related; type="application/dicom" with the stored bytes,
 * metadata in DICOM JSON, frames and bulk data. Instances are served as stored: the stored transfer syntax and
 * {@code transfer-syntax=*} are accepted (an Accept without a transfer-syntax parameter too), any other syntax
 * is a 406, since nothing here transcodes. Every listed instance is checked before the first byte is sent, so a
 * refusal is a clean status, not a broken body.
 */
final class WadoService {

    private final StorageBackend archive;
    private final MetadataSource metadata;
    private final FrameSource frames;
    private final ArchiveReader reader;

    WadoService(StorageBackend archive, MetadataSource metadata, FrameSource frames) {
        this.archive = archive;
        this.metadata = metadata;
        this.frames = frames;
        this.reader = new ArchiveReader(archive);
    }

    /** The instances of a study, series or one instance; 404 when there are none. */
    List<StoredInstance> instances(String study, String series, String sop) {
        List<StoredInstance> out = new ArrayList<>();
        if (sop != null) {
            StoredInstance s = archive.describe(SopInstanceUid.of(sop)).orElse(null);
            if (s != null && s.studyInstanceUid().equals(study) && (series == null
                    || s.seriesInstanceUid().equals(series))) {
                out.add(s);
            }
        } else {
            DicomDataset q = new DicomDataset();
            q.set(Tag.QueryRetrieveLevel, VR.CS, "IMAGE");
            q.set(Tag.StudyInstanceUID, VR.UI, study);
            if (series != null) {
                q.set(Tag.SeriesInstanceUID, VR.UI, series);
            }
            q.set(Tag.SOPInstanceUID, VR.UI);
            for (DicomDataset d : archive.find(q)) {
                d.getUid(Tag.SOPInstanceUID).flatMap(u -> archive.describe(SopInstanceUid.of(u))).ifPresent(out::add);
            }
        }
        if (out.isEmpty()) {
            throw new HttpError(404, "No instance is stored for " + (sop != null ? "instance " + sop
                    : series != null ? "series " + series : "study " + study) + " in study " + study + ".");
        }
        return out;
    }

    /** Where an instance sits, all /metadata needs of its catalog row (for its BulkDataURIs). */
    record Ref(String study, String series, SopInstanceUid sop) {
    }

    /**
     * The instances of a study, series or one instance as {@link Ref}s; 404 when there are none. A study or series
     * is one catalog query (its answer names each instance's series), with no row read per instance.
     */
    List<Ref> refs(String study, String series, String sop) {
        List<Ref> out = new ArrayList<>();
        if (sop != null) {
            for (StoredInstance s : instances(study, series, sop)) {
                out.add(new Ref(s.studyInstanceUid(), s.seriesInstanceUid(), s.sopInstanceUid()));
            }
            return out;
        }
        DicomDataset q = new DicomDataset();
        q.set(Tag.QueryRetrieveLevel, VR.CS, "IMAGE");
        q.set(Tag.StudyInstanceUID, VR.UI, study);
        if (series != null) {
            q.set(Tag.SeriesInstanceUID, VR.UI, series);
        } else {
            q.set(Tag.SeriesInstanceUID, VR.UI); // returned, to place each instance
        }
        q.set(Tag.SOPInstanceUID, VR.UI);
        for (DicomDataset d : archive.find(q)) {
            var uid = d.getUid(Tag.SOPInstanceUID);
            var se = d.getUid(Tag.SeriesInstanceUID);
            if (uid.isPresent() && se.isPresent()) {
                out.add(new Ref(d.getUid(Tag.StudyInstanceUID).orElse(study), se.get(), SopInstanceUid.of(uid.get())));
            }
        }
        if (out.isEmpty()) {
            throw new HttpError(404, "No instance is stored for " + (series != null ? "series " + series
                    : "study " + study) + " in study " + study + ".");
        }
        return out;
    }

    void retrieve(Exchange ex, List<StoredInstance> list) throws IOException {
        ex.studies.add(list.get(0).studyInstanceUid());
        for (StoredInstance s : list) {
            negotiate(ex, MediaType.DICOM, s.transferSyntaxUid());
        }
        MultipartWriter w = null;
        OutputStream out = null;
        for (StoredInstance s : list) {
            try (InputStream in = Archived.open(archive, s.sopInstanceUid())) {
                if (w == null) {
                    out = ex.start(200, null);
                    w = new MultipartWriter(out);
                    ex.setHeader("Content-Type", w.contentType(MediaType.DICOM));
                }
                w.part(MediaType.DICOM + "; transfer-syntax=" + s.transferSyntaxUid(), null, s.sizeBytes(), in);
            }
        }
        w.finish();
    }

    void metadata(Exchange ex, List<Ref> list) throws IOException {
        QidoService.requireJsonAccepted(ex);
        String study = list.get(0).study();
        ex.studies.add(study);
        // a study or series at once (one catalog query where headers are kept), the rest one by one
        String series = list.stream().allMatch(s -> s.series().equals(list.get(0).series()))
                ? list.get(0).series() : null;
        Map<SopInstanceUid, InstanceHeader> kept = metadata.headers(study, series,
                list.stream().map(Ref::sop).toList());
        List<InstanceHeader> headers = new ArrayList<>(list.size());
        for (Ref s : list) {
            InstanceHeader h = kept.get(s.sop());
            headers.add(h != null ? h : Archived.call(archive, s.sop(), () -> metadata.header(s.sop())));
        }
        ex.json(200, MediaType.DICOM_JSON, g -> {
            g.writeStartArray();
            for (int i = 0; i < list.size(); i++) {
                Ref s = list.get(i);
                String base = instanceUrl(ex, s.study(), s.series(), s.sop().value());
                InstanceHeader h = headers.get(i);
                DicomJson.write(g, h.attributes(), tag -> base + "/bulkdata/" + DicomJson.key(tag), h.bulkData());
            }
            g.writeEndArray();
        });
    }

    void frames(Exchange ex, StoredInstance s, String list) throws IOException {
        ex.studies.add(s.studyInstanceUid());
        List<Integer> numbers = frameNumbers(list);
        String ts = s.transferSyntaxUid();
        String partType = FrameMediaTypes.of(ts);
        negotiate(ex, partType, ts);
        sendParts(ex, partType + (FrameMediaTypes.isNative(ts) ? "" : "; transfer-syntax=" + ts),
                sink -> Archived.run(archive, s.sopInstanceUid(), () -> frames.frames(s.sopInstanceUid(), numbers, sink)));
    }

    void bulkData(Exchange ex, StoredInstance s, String tagText) throws IOException {
        ex.studies.add(s.studyInstanceUid());
        if (!tagText.matches("[0-9A-Fa-f]{8}")) {
            throw new HttpError(400, "Bulk data is addressed by a tag of 8 hex digits, e.g. 7FE00010, not '"
                    + clip(tagText) + "'.");
        }
        int tag = Integer.parseUnsignedInt(tagText, 16);
        negotiate(ex, MediaType.OCTET_STREAM, s.transferSyntaxUid());
        sendParts(ex, MediaType.OCTET_STREAM, sink -> Archived.run(archive, s.sopInstanceUid(),
                () -> reader.bulkData(s.sopInstanceUid(), tag, sink)));
    }

    private interface PartProducer {
        void produce(FrameSource.FrameSink sink) throws IOException;
    }

    /** Multipart body whose headers are committed only with the first part, so earlier errors stay clean. */
    private static void sendParts(Exchange ex, String partType, PartProducer producer) throws IOException {
        MultipartWriter[] w = {null};
        producer.produce((number, length, bytes) -> {
            if (w[0] == null) {
                w[0] = new MultipartWriter(ex.start(200, null));
                ex.setHeader("Content-Type", w[0].contentType(partType.replaceAll(";.*", "")));
            }
            w[0].part(partType, null, length, bytes);
        });
        if (w[0] == null) {
            throw new HttpError(404, "Nothing to send.");
        }
        w[0].finish();
    }

    /**
     * 406 unless Accept allows multipart/related of {@code partType} (or of anything) in the stored syntax or
     * any syntax. A transfer-syntax parameter names the syntax wanted; its absence takes what is stored.
     */
    static void negotiate(Exchange ex, String partType, String storedSyntax) {
        List<String> asked = new ArrayList<>();
        for (MediaType m : MediaType.parseAccept(ex.header("Accept"))) {
            if (m.quality() <= 0) {
                continue;
            }
            MediaType part = m;
            if (m.is(MediaType.MULTIPART_RELATED)) {
                String type = m.parameter("type");
                part = type == null ? MediaType.parse("*/*") : MediaType.parse(type);
                if (m.parameter("transfer-syntax") != null) {
                    part = new MediaType(part.type(), part.subtype(), Map.of("transfer-syntax",
                            m.parameter("transfer-syntax")));
                }
            } else if (!m.covers(MediaType.MULTIPART_RELATED) && !m.covers(partType)) {
                asked.add(m.toString());
                continue;
            }
            String ts = part.parameter("transfer-syntax");
            boolean typeOk = part.covers(partType) || part.is(MediaType.OCTET_STREAM) && "*".equals(ts);
            if (typeOk && (ts == null || ts.equals("*") || ts.equals(storedSyntax))) {
                return;
            }
            asked.add(m.toString());
        }
        throw new HttpError(406, "The instance is stored as " + partType + " in transfer syntax " + storedSyntax
                + " and this server does not transcode; accept multipart/related; type=\"" + partType
                + "\"; transfer-syntax=" + storedSyntax + " (or transfer-syntax=*). Asked for: " + asked + ".");
    }

    static List<Integer> frameNumbers(String list) {
        List<Integer> out = new ArrayList<>();
        for (String p : list.split(",")) {
            try {
                int n = Integer.parseInt(p.trim());
                if (n >= 1) {
                    out.add(n);
                    continue;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new HttpError(400, "Frame list '" + clip(list) + "' is not valid; give frame numbers from 1,"
                    + " separated by commas, e.g. /frames/1,2,3.");
        }
        if (out.size() > 10_000) {
            throw new HttpError(400, "At most 10000 frames can be asked for at once.");
        }
        return out;
    }

    static String instanceUrl(Exchange ex, String study, String series, String sop) {
        return ex.baseUrl() + "/studies/" + study + "/series/" + series + "/instances/" + sop;
    }

    private static String clip(String s) {
        String t = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}
