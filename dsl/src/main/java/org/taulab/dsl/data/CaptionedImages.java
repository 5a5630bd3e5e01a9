package org.taulab.dsl.data;

import java.util.List;

/** Images whose labels index {@code captions}, what each image shows; {@code images} is null when there are none. */
public record CaptionedImages(ImageSet images, List<String> captions) {
    public boolean isEmpty() {
        return images == null || images.count() == 0;
    }
}
