package io.jenkins.plugins.immutabledeployment.oci;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads an OCI image layout ({@code oci-layout}, {@code index.json}, {@code blobs/ALG/HEX}) and picks the image to
 * push the way skopeo's {@code oci:DIR[:REF]} does: the {@code index.json} entry whose
 * {@code org.opencontainers.image.ref.name} is REF, or, without REF, the only image listed. That entry is pushed as
 * it is: an image manifest, or the image index of a multi-platform image. Several images and no REF are refused,
 * naming their refs: {@code index.json} itself (local annotations included) is never pushed.
 */
final class OciLayoutReader {

    static final String REF_NAME = "org.opencontainers.image.ref.name";

    private final ArchiveFiles files;
    private final String field;
    private final ImageArchive.Contents contents = new ImageArchive.Contents();

    private OciLayoutReader(ArchiveFiles files, String field) {
        this.files = files;
        this.field = field;
    }

    static ImageArchive read(ArchiveFiles files, ImageArchive.Format format, String image, String field, Path temporary)
            throws IOException {
        return new OciLayoutReader(files, field).read(format, image, temporary);
    }

    private ImageArchive read(ImageArchive.Format format, String image, Path temporary) throws IOException {
        ArchiveFiles.File layout = files.find("oci-layout").orElseThrow(() -> refuse("has no oci-layout file"));
        JsonNode layoutJson = Json.mapper().readTree(layout.readAll(1 << 16));
        if (layoutJson == null || !layoutJson.path("imageLayoutVersion").isTextual()) {
            throw refuse("has an oci-layout file without imageLayoutVersion");
        }
        ArchiveFiles.File indexFile = files.find("index.json").orElseThrow(() -> refuse("has no index.json"));
        Manifest index = parse(indexFile.readAll(RegistryClient.MANIFEST_MAX_BYTES), MediaTypes.OCI_INDEX, "index.json");
        List<Descriptor> entries = index.manifests();
        if (entries.isEmpty()) {
            throw refuse("lists no image in index.json");
        }
        Manifest root = load(pick(entries, image));
        walk(root);
        return contents.finish(format, root, temporary);
    }

    private Descriptor pick(List<Descriptor> entries, String image) {
        if (image != null) {
            return entries.stream().filter(entry -> image.equals(entry.annotations().get(REF_NAME))).findFirst()
                    .orElseThrow(() -> refuse("has no image named \"" + image + "\" (" + REF_NAME + "); it holds "
                            + names(entries)));
        }
        if (entries.stream().map(Descriptor::digest).distinct().count() > 1) {
            throw refuse("holds " + entries.size() + " images (" + names(entries) + "); name the one to push as PATH:REF");
        }
        return entries.get(0);
    }

    /** The entries by ref name, or by digest where they have none. */
    private static String names(List<Descriptor> entries) {
        return entries.stream().map(entry -> {
            String name = entry.annotations().get(REF_NAME);
            return name != null ? name : entry.digest() + " (no ref name)";
        }).collect(Collectors.joining(", "));
    }

    private void walk(Manifest manifest) throws IOException {
        if (manifest.isIndex()) {
            for (Descriptor child : manifest.manifests()) {
                walk(load(child));
            }
        } else {
            for (Descriptor blob : manifest.blobs()) {
                contents.blobs.putIfAbsent(blob.digest(), new ImageArchive.ArchiveBlob(blob.digest(), blobFile(blob)));
            }
        }
        contents.addManifest(manifest);
    }

    private Manifest load(Descriptor descriptor) throws IOException {
        if (!MediaTypes.isManifest(descriptor.mediaType())) {
            throw refuse("lists " + descriptor.digest() + " of media type \"" + descriptor.mediaType()
                    + "\", which is not an image manifest or index");
        }
        byte[] bytes = blobFile(descriptor).readAll(RegistryClient.MANIFEST_MAX_BYTES);
        if (!descriptor.digest().matches(descriptor.digest().newMessageDigest().digest(bytes))) {
            throw refuse("holds a manifest that does not match its digest " + descriptor.digest());
        }
        return parse(bytes, descriptor.mediaType(), "manifest " + descriptor.digest());
    }

    private ArchiveFiles.File blobFile(Descriptor descriptor) throws IOException {
        Digest digest = descriptor.digest();
        ArchiveFiles.File file = files.find("blobs/" + digest.algorithm() + "/" + digest.hex())
                .orElseThrow(() -> refuse("lacks blob " + digest + " (" + descriptor.mediaType() + ")"));
        if (file.size() != descriptor.size()) {
            throw refuse("has blob " + digest + " of " + file.size() + " bytes where its descriptor says "
                    + descriptor.size());
        }
        return file;
    }

    private Manifest parse(byte[] bytes, String mediaType, String what) {
        try {
            return Manifest.parse(bytes, mediaType);
        } catch (InvalidManifestException e) {
            throw refuse("has an invalid " + what + ": " + e.getMessage());
        }
    }

    private InvalidInputException refuse(String problem) {
        return new InvalidInputException(field, "the OCI layout " + problem, ImageArchive.ACCEPTED_FORM);
    }
}
