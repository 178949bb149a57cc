package org.pacs.storage.dicomweb;

import java.util.Map;
import java.util.Objects;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.VR;

/**
 * What /metadata shows of one instance: its attributes without the bulk values that were not read (Pixel Data
 * above all), and which top-level bulk attributes exist so they get a BulkDataURI.
 *
 * @param attributes        the data set as read, file meta excluded
 * @param transferSyntaxUid the stored transfer syntax
 * @param bulkData          top-level attributes left out of {@code attributes}, with their VR
 */
public record InstanceHeader(DicomDataset attributes, String transferSyntaxUid, Map<Integer, VR> bulkData) {

    public InstanceHeader {
        Objects.requireNonNull(attributes, "attributes");
        transferSyntaxUid = transferSyntaxUid == null ? "" : transferSyntaxUid;
        bulkData = Map.copyOf(bulkData);
    }
}
