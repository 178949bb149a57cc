package org.pacs.storage.index;

import java.util.Objects;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.dicom.DicomDataset;

/**
 * One indexed instance: its storage record and its query attributes. The attributes are copied in and out
 * because {@link DicomDataset} is mutable and the index is shared between threads.
 */
public record IndexEntry(StoredInstance instance, DicomDataset attributes) {

    public IndexEntry {
        Objects.requireNonNull(instance, "instance");
        attributes = attributes == null ? new DicomDataset() : attributes.copy();
    }

    @Override
    public DicomDataset attributes() {
        return attributes.copy();
    }
}
