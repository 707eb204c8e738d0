/**
 * Tokenizers: byte-level BPE ({@link dev.longshot.vlm.tokenizer.BpeTokenizer}, GGUF {@code gpt2} vocabularies and
 * Hugging Face tokenizer.json) and SentencePiece-style BPE ({@link dev.longshot.vlm.tokenizer.SentencePieceTokenizer},
 * GGUF {@code llama} vocabularies), with the pre-tokenizer regexes llama.cpp uses per model and a streaming decoder
 * that never splits a UTF-8 character.
 */
package dev.longshot.vlm.tokenizer;
