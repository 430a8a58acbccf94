package io.jenkins.plugins.immutabledeployment.oci;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where an image archive is, as a user writes it: {@code PATH}, or {@code PATH:REF} to pick one image of an OCI
 * layout (directory or archive) that holds several, by its {@code org.opencontainers.image.ref.name} — skopeo's
 * {@code oci:DIR:REF} — or of a {@code docker save} tarball, by one of its repository tags. A path that exists as
 * written is taken whole, so a path with a {@code :} in it still works without a REF.
 *
 * @param path the archive
 * @param image the image to pick in it, or {@code null} for its only image
 */
public record ArchiveLocation(Path path, String image) {

    public static final String ACCEPTED_FORM = "PATH or PATH:REF (REF picks one image of an archive that holds several)";

    /** Reads {@code PATH[:REF]}, with a relative {@code PATH} taken from {@code base}. */
    public static ArchiveLocation parse(String text, Path base, String field) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException(field, "is empty", ACCEPTED_FORM);
        }
        if (Files.exists(base.resolve(text))) {
            return new ArchiveLocation(base.resolve(text), null);
        }
        for (int colon = text.indexOf(':'); colon > 0; colon = text.indexOf(':', colon + 1)) {
            Path path = base.resolve(text.substring(0, colon));
            if (Files.exists(path)) {
                String image = text.substring(colon + 1);
                if (image.isBlank() || image.chars().anyMatch(Character::isISOControl)) {
                    throw new InvalidInputException(field, "\"" + text + "\" has an empty or unprintable REF after "
                            + text.substring(0, colon), ACCEPTED_FORM);
                }
                return new ArchiveLocation(path, image);
            }
        }
        return new ArchiveLocation(base.resolve(text), null);
    }

    /** Opens the archive and picks the image ({@link ImageArchive#open(Path, String, String)}). */
    public ImageArchive open(String field) {
        return ImageArchive.open(path, image, field);
    }

    @Override
    public String toString() {
        return image == null ? path.toString() : path + ":" + image;
    }
}
