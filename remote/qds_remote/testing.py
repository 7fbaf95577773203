"""A tiny model of the real architecture, for tests: a Qwen3 config with 2
layers, hidden size 64 and 4 heads (about 100k parameters, random weights)
and a byte-level BPE tokenizer trained here with `tokenizers` on the texts
given. Nothing is downloaded. It trains on the CPU in seconds.

  python -m qds_remote.testing build OUT_DIR CORPUS.jsonl
(CORPUS: JSONL whose "prompt" and "completion" fields train the tokenizer.)
"""

import json
import sys

EOS = "<|endoftext|>"
PAD = "<|pad|>"


def build_tiny_model(out_dir, texts, vocab_size=300, seed=0):
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast, Qwen3Config, Qwen3ForCausalLM

    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    bpe.train_from_iterator(
        texts,
        trainers.BpeTrainer(
            vocab_size=vocab_size,
            special_tokens=[EOS, PAD],
            initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
            show_progress=False,
        ),
    )
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=bpe, eos_token=EOS, pad_token=PAD)
    config = Qwen3Config(
        vocab_size=len(tokenizer),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        head_dim=16,
        max_position_embeddings=512,
        tie_word_embeddings=True,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=None,
    )
    torch.manual_seed(seed)
    model = Qwen3ForCausalLM(config)
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    return out_dir


def memorisable_pairs(count=20):
    """Problem → q solution pairs a tiny model can learn by heart (distinct prompts, short answers)."""
    verbs = ["sum", "max", "min", "count", "avg"]
    pairs = []
    for i in range(count):
        verb = verbs[i % len(verbs)]
        prompt = f"Problem {i}: {verb} of x times {i}\nq:"
        pairs.append({"task_id": f"p{i}", "prompt": prompt, "completion": f" {{{verb} x*{i}}}"})
    return pairs


def _main(argv):
    if len(argv) != 3 or argv[0] != "build":
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[2], encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    texts = [r.get("prompt", "") + r.get("completion", "") for r in records]
    build_tiny_model(argv[1], texts)
    print(argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
