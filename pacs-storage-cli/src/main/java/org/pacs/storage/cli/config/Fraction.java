package org.pacs.storage.cli.config;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks a {@code double} configuration component as a fraction: {@code 0.9} or {@code 90%} ({@link Units}). */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
@JacksonAnnotationsInside
@JsonDeserialize(using = UnitsModule.FractionReader.class)
@JsonSerialize(using = UnitsModule.FractionWriter.class)
public @interface Fraction {
}
