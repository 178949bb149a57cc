package org.pacs.storage.dicomweb;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.WriteBatch;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomElement;
import org.pacs.storage.dicom.DicomFile;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.VR;

/**
 * STOW-RS (PS3.18 §10.5): each part of a multipart/related body (or a single application/dicom body) is
 * streamed into {@link StorageBackend#store(InputStream)} as it arrives, after its header was checked. The reply
 * is written only after every store returned, so what it lists as stored is durable.
 * <p>Statuses: 200 all stored, 202 some failed, 409 none stored; 400 when the body cannot be read as multipart
 * at all, 415 for a media type other than DICOM.
 */
final class StowService {

    static final int FAILED_SOP_SEQUENCE = 0x00081198;
    static final int REFERENCED_SOP_SEQUENCE = 0x00081199;
    static final int FAILURE_REASON = 0x00081197;
    static final int RETRIEVE_URL = 0x00081190;
    static final int REFERENCED_SOP_CLASS_UID = 0x00081150;
    static final int REFERENCED_SOP_INSTANCE_UID = 0x00081155;
    /** Error Comment (0000,0902): the reason in words, beside the code, so a person can act on it. */
    static final int ERROR_COMMENT = 0x00000902;

    // PS3.18 Table I.2-2 (Store Instances Response Failure Reason values), 0111 from PS3.7 (duplicate instance).
    static final int OUT_OF_RESOURCES = 0xA700;
    static final int DOES_NOT_MATCH = 0xA900;
    static final int CANNOT_UNDERSTAND = 0xC000;
    static final int PROCESSING_FAILURE = 0x0110;
    static final int DUPLICATE_INSTANCE = 0x0111;

    private record Outcome(StoredInstance stored, String sopClass, String sopInstance, int reason, String message) {
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StowService.class);

    private final StorageBackend archive;

    StowService(StorageBackend archive) {
        this.archive = archive;
    }

    void handle(Exchange ex, String studyUid) throws IOException {
        String contentType = ex.header("Content-Type");
        if (contentType == null) {
            throw new HttpError(415, "The request has no Content-Type; send multipart/related;"
                    + " type=\"application/dicom\" (or a single application/dicom body).");
        }
        MediaType mt = MediaType.parse(contentType);
        List<Outcome> outcomes = new ArrayList<>();
        // One batch per request: a backend that flushes per write settles the request's durability once, and the
        // reply below is written only after that commit returned.
        WriteBatch batch = archive.batch();
        boolean committed = false;
        try {
            receive(ex, mt, studyUid, batch, outcomes);
            batch.commit();
            committed = true;
        } finally {
            if (!committed) {
                try {
                    batch.close();
                } catch (RuntimeException e) {
                    LOG.warn("committing the stores of a failed STOW request failed too: {}", e.toString());
                }
            }
        }
        for (Outcome o : outcomes) {
            if (o.stored() != null) {
                ex.studies.add(o.stored().studyInstanceUid());
            }
        }
        if (studyUid != null) {
            ex.studies.add(studyUid);
        }
        reply(ex, studyUid, outcomes);
    }

    private void receive(Exchange ex, MediaType mt, String studyUid, WriteBatch batch, List<Outcome> outcomes) {
        if (mt.is(MediaType.DICOM)) {
            outcomes.add(storeOne(ex.body(), studyUid, null, batch));
        } else if (mt.is(MediaType.MULTIPART_RELATED)) {
            String type = mt.parameter("type");
            if (type != null && !MediaType.parse(type).is(MediaType.DICOM)) {
                throw new HttpError(415, "This server stores multipart/related; type=\"application/dicom\" only,"
                        + " not type=\"" + type + "\"; send the instances as Part 10 files.");
            }
            String boundary = mt.parameter("boundary");
            // RFC 2046 allows 70 characters; some clients (Orthanc's DICOMweb plugin) send longer ones.
            if (boundary == null || boundary.isEmpty() || boundary.length() > MultipartReader.MAX_BOUNDARY) {
                throw new HttpError(400, "The Content-Type multipart/related needs a boundary parameter of 1 to "
                        + MultipartReader.MAX_BOUNDARY + " characters.");
            }
            MultipartReader reader = new MultipartReader(ex.body(), boundary);
            storeParts(reader, studyUid, outcomes, batch);
            if (reader.failure() != null && outcomes.stream().noneMatch(o -> o.stored() != null)) {
                throw new HttpError(400, "The request body is not readable multipart/related: "
                        + reader.failure().getMessage() + "; nothing was stored.");
            }
        } else {
            throw new HttpError(415, "Cannot store " + mt.essence() + "; send multipart/related;"
                    + " type=\"application/dicom\" (or a single application/dicom body).");
        }
    }

    private void storeParts(MultipartReader reader, String studyUid, List<Outcome> outcomes, WriteBatch batch) {
        while (true) {
            MultipartReader.Part part;
            try {
                part = reader.nextPart();
            } catch (MultipartReader.MultipartException e) {
                if (outcomes.isEmpty()) {
                    throw new HttpError(400, "The request body is not readable multipart/related: " + e.getMessage()
                            + ".");
                }
                outcomes.add(failure(null, CANNOT_UNDERSTAND, "the rest of the body is unreadable: " + e.getMessage()));
                return;
            }
            if (part == null) {
                if (outcomes.isEmpty()) {
                    throw new HttpError(400, "The multipart/related body holds no part; send at least one instance.");
                }
                return;
            }
            String type = part.header("Content-Type");
            if (type != null && !MediaType.parse(type).is(MediaType.DICOM)) {
                outcomes.add(failure(null, CANNOT_UNDERSTAND, "part " + (outcomes.size() + 1) + " is " + type
                        + ", not application/dicom"));
                continue;
            }
            Outcome o = storeOne(part.body(), studyUid, reader, batch);
            outcomes.add(o);
            if (reader.failure() != null) {
                return; // the body broke inside this part: nothing after it can be trusted
            }
        }
    }

    private Outcome storeOne(InputStream body, String studyUid, MultipartReader reader, WriteBatch batch) {
        HeaderPeek peek = HeaderPeek.read(body);
        DicomFile header = peek.file();
        if (reader != null && reader.failure() != null) {
            return failure(header, CANNOT_UNDERSTAND, "the request body was cut short: "
                    + reader.failure().getMessage());
        }
        if (peek.failure() != null) {
            return failure(null, CANNOT_UNDERSTAND, "not a readable DICOM Part 10 instance: "
                    + peek.failure().getMessage());
        }
        if (studyUid != null) {
            if (header == null) {
                return failure(null, OUT_OF_RESOURCES, "its header is longer than " + HeaderPeek.MAX_HEADER
                        + " bytes, too long to check its Study Instance UID; POST it to /studies instead");
            }
            String actual = header.dataset().getUid(Tag.StudyInstanceUID).orElse("");
            if (!actual.equals(studyUid)) {
                return failure(header, DOES_NOT_MATCH, "its Study Instance UID " + (actual.isEmpty() ? "(none)" : actual)
                        + " differs from the study " + studyUid + " in the URL");
            }
        }
        try {
            StoredInstance stored = batch.store(peek.replay());
            return new Outcome(stored, stored.sopClassUid(), stored.sopInstanceUid().value(), 0, null);
        } catch (StorageException e) {
            if (reader != null && reader.failure() != null) {
                return failure(header, CANNOT_UNDERSTAND, "the request body was cut short: "
                        + reader.failure().getMessage());
            }
            int reason = switch (e.reason()) {
                case INVALID_INPUT, CORRUPT -> CANNOT_UNDERSTAND;
                case ALREADY_EXISTS -> DUPLICATE_INSTANCE;
                case UNAVAILABLE, OUT_OF_SPACE -> OUT_OF_RESOURCES;
                default -> PROCESSING_FAILURE;
            };
            return failure(header, reason, e.getMessage());
        }
    }

    private static Outcome failure(DicomFile header, int reason, String message) {
        String sopClass = header == null ? "" : header.dataset().getUid(Tag.SOPClassUID)
                .or(() -> header.fileMeta().getUid(Tag.MediaStorageSOPClassUID)).orElse("");
        String sopInstance = header == null ? "" : header.dataset().getUid(Tag.SOPInstanceUID)
                .or(() -> header.fileMeta().getUid(Tag.MediaStorageSOPInstanceUID)).orElse("");
        return new Outcome(null, sopClass, sopInstance, reason, message);
    }

    private void reply(Exchange ex, String studyUid, List<Outcome> outcomes) throws IOException {
        List<DicomDataset> referenced = new ArrayList<>();
        List<DicomDataset> failed = new ArrayList<>();
        for (Outcome o : outcomes) {
            DicomDataset item = new DicomDataset();
            item.set(REFERENCED_SOP_CLASS_UID, VR.UI, o.sopClass());
            item.set(REFERENCED_SOP_INSTANCE_UID, VR.UI, o.sopInstance());
            if (o.stored() != null) {
                StoredInstance s = o.stored();
                item.set(RETRIEVE_URL, VR.UR, ex.baseUrl() + "/studies/" + s.studyInstanceUid() + "/series/"
                        + s.seriesInstanceUid() + "/instances/" + s.sopInstanceUid());
                referenced.add(item);
            } else {
                item.setInt(FAILURE_REASON, VR.US, o.reason());
                item.put(DicomElement.ofStrings(ERROR_COMMENT, VR.LO, List.of(clip(o.message()))));
                failed.add(item);
            }
        }
        DicomDataset response = new DicomDataset();
        if (studyUid != null) {
            response.set(RETRIEVE_URL, VR.UR, ex.baseUrl() + "/studies/" + studyUid);
        }
        if (!failed.isEmpty()) {
            response.setItems(FAILED_SOP_SEQUENCE, failed);
        }
        if (!referenced.isEmpty()) {
            response.setItems(REFERENCED_SOP_SEQUENCE, referenced);
        }
        int status = failed.isEmpty() ? 200 : referenced.isEmpty() ? 409 : 202;
        ex.json(status, MediaType.DICOM_JSON, g -> DicomJson.write(g, response));
    }

    /** LO holds 64 characters in a file; JSON has no such limit, but a reason should stay one readable line. */
    private static String clip(String s) {
        String t = s == null ? "" : s.replaceAll("\\p{Cntrl}", " ");
        return t.length() > 1024 ? t.substring(0, 1024) + "..." : t;
    }
}
