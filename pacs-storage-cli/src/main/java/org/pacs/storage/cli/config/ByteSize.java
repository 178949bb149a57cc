package org.pacs.storage.cli.config;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks a {@code long} configuration component as a size in the {@link Units} grammar ({@code 10GiB}). */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
@JacksonAnnotationsInside
@JsonDeserialize(using = UnitsModule.SizeReader.class)
@JsonSerialize(using = UnitsModule.SizeWriter.class)
public @interface ByteSize {
}
