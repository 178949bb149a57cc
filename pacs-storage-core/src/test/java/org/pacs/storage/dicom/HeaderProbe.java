package org.pacs.storage.dicom;

import java.nio.file.Path;

/** Run in a forked JVM with a tiny heap: prints what readHeader found in the file given as argument. */
public final class HeaderProbe {

    private HeaderProbe() {
    }

    public static void main(String[] args) {
        DicomFile f = DicomReader.readHeader(Path.of(args[0]));
        System.out.println(f.dataset().getUid(Tag.SOPInstanceUID).orElse("-") + " " + f.headerLength() + " "
                + Runtime.getRuntime().maxMemory());
    }
}
