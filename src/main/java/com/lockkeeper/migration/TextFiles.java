package com.lockkeeper.migration;

import com.lockkeeper.support.IoProblems;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads an export file as Windows tools write it: UTF-8 with or without a byte order mark
 * (sqlcmd -f 65001, Export-Csv -Encoding UTF8), or UTF-16 with one (Windows PowerShell 5.1's
 * Export-Csv -Encoding Unicode, and its default for Out-File and redirection).
 */
final class TextFiles {

    private TextFiles() {
    }

    /**
     * The file's text. {@code howToRewrite} ends the error for a file in neither encoding: how to write
     * it again with the tool that made it.
     */
    static String read(Path file, String howToRewrite) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidSourceException("cannot read " + file + ": " + IoProblems.describe(e));
        }
        return decode(bytes, file.getFileName().toString(), howToRewrite);
    }

    static String decode(byte[] bytes, String name, String howToRewrite) {
        int skip = 0;
        Charset charset = StandardCharsets.UTF_8;
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
            skip = 3;
        } else if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xFE) {
            skip = 2;
            charset = StandardCharsets.UTF_16LE;
        } else if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xFE && (bytes[1] & 0xff) == 0xFF) {
            skip = 2;
            charset = StandardCharsets.UTF_16BE;
        }
        try {
            return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, skip, bytes.length - skip)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidSourceException(name + " is neither UTF-8 nor UTF-16 with a byte order mark: " + howToRewrite
                    + ", and import it again");
        }
    }
}
