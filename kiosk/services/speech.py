"""Reading aloud with pyttsx3 and espeak-ng's Mandarin voice (``sit/cmn-Latn-pinyin``).

``speak`` blocks (call it from a worker thread): the text is cut into sentences, each sentence is
synthesised to a WAV file and played with ``aplay``, which ``stop`` can end at once from any thread.
When no voice or no player is installed, :class:`SpeechUnavailable` carries a message a resident can
read instead of a crash.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import shutil
import subprocess
import tempfile
import threading
import wave
from collections.abc import Sequence
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

VOICE = "sit/cmn-Latn-pinyin"
NO_VOICE = "本机未安装中文语音，暂时不能朗读"
NO_PLAYER = "本机没有可用的扬声器，暂时不能朗读"
SYNTH_SECONDS = 30.0  # the longest one sentence may take to synthesise on a loaded terminal
SYNTH_ATTEMPTS = 3

_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")


class SpeechUnavailable(Exception):
    """Reading aloud is not possible on this terminal; ``str(exc)`` is shown to the resident."""


def sentences(text: str, limit: int = 120) -> list[str]:
    """Cut text into speakable pieces of at most ``limit`` characters."""
    out: list[str] = []
    for m in _SENTENCE.finditer(text):
        piece = m.group(0).strip()
        while len(piece) > limit:
            out.append(piece[:limit])
            piece = piece[limit:]
        if piece:
            out.append(piece)
    return out


class SpeechService:
    def __init__(self, voice: str = VOICE, player: Sequence[str] | None = ("aplay", "-q")):
        self.voice = voice
        self.player = tuple(player) if player else None
        self._engine: Any = None
        self._engine_error: str | None = None
        self._lock = threading.Lock()  # one synthesis at a time; the engine is not thread-safe
        self._finished = threading.Event()  # set on espeak's thread once it has written the file
        self._state = threading.Lock()
        self._generation = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._tmp = Path(tempfile.mkdtemp(prefix="kiosk-speech-"))

    # --- availability -----------------------------------------------------------------------------

    def _load_engine(self) -> Any:
        if self._engine is None and self._engine_error is None:
            try:
                import pyttsx3

                engine = pyttsx3.init()
                ids = {str(v.id).lower() for v in engine.getProperty("voices")}
                if self.voice.lower() not in ids:
                    raise SpeechUnavailable(NO_VOICE)
                engine.setProperty("voice", self.voice)
                engine.setProperty("rate", 150)
                engine.connect("finished-utterance", lambda name, completed: self._finished.set())
                self._engine = engine
            except SpeechUnavailable as exc:
                self._engine_error = str(exc)
            except Exception as exc:  # no espeak-ng library, no driver, …
                log.warning("speech engine unavailable: %s", exc)
                self._engine_error = NO_VOICE
        return self._engine

    def check(self) -> str | None:
        """None when reading aloud works, else the reason to show."""
        with self._lock:
            if self._load_engine() is None:
                return self._engine_error or NO_VOICE
        if self.player and shutil.which(self.player[0]) is None:
            return NO_PLAYER
        return None

    # --- speaking ---------------------------------------------------------------------------------

    def synthesize(self, text: str, target: Path) -> Path:
        with self._lock:
            engine = self._load_engine()
            if engine is None:
                raise SpeechUnavailable(self._engine_error or NO_VOICE)
            # pyttsx3 2.99's espeak driver synthesises on espeak's own thread, and its runAndWait()
            # returned before the file was written in 8 of 10 fresh engines here: the file was then
            # missing or cut short. Its end is awaited. The synthesis after such a one wrote a
            # header alone now and then: a third attempt has always given the sentence.
            for _attempt in range(SYNTH_ATTEMPTS):
                target.unlink(missing_ok=True)
                self._finished.clear()
                with contextlib.redirect_stdout(io.StringIO()):  # pyttsx3 prints "Audio saved to …"
                    engine.save_to_file(text, str(target))
                    engine.runAndWait()
                    self._finished.wait(SYNTH_SECONDS)
                if _spoken(target):
                    return target
        raise SpeechUnavailable(NO_VOICE)

    def speak(self, text: str) -> bool:
        """Read ``text`` aloud; returns False when stopped before the end. Blocks: use a worker."""
        with self._state:
            generation = self._generation
        problem = self.check()
        if problem:
            raise SpeechUnavailable(problem)
        for index, piece in enumerate(sentences(text)):
            if self._generation != generation:
                return False
            wav = self.synthesize(piece, self._tmp / f"{generation}-{index}.wav")
            try:
                if not self._play(wav, generation):
                    return False
            finally:
                wav.unlink(missing_ok=True)
        return self._generation == generation

    def _play(self, wav: Path, generation: int) -> bool:
        if self.player is None:
            return True
        with self._state:
            if self._generation != generation:
                return False
            try:
                self._process = subprocess.Popen(
                    [*self.player, str(wav)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
                )
            except OSError:
                raise SpeechUnavailable(NO_PLAYER) from None
            process = self._process
        _out, err = process.communicate()
        with self._state:
            self._process = None
            stopped = self._generation != generation
        if stopped:
            return False
        if process.returncode != 0:
            log.warning("player failed: %s", err.decode(errors="replace").strip())
            raise SpeechUnavailable(NO_PLAYER)
        return True

    def stop(self) -> None:
        """End the current reading at once (safe from any thread)."""
        with self._state:
            self._generation += 1
            if self._process is not None and self._process.poll() is None:
                self._process.terminate()

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self._tmp, ignore_errors=True)


def _spoken(path: Path) -> bool:
    """Whether ``path`` is a whole WAV file with sound in it (not a header alone, not cut short)."""
    try:
        with wave.open(str(path)) as w:
            frames: int = w.getnframes()
            size: int = 44 + frames * w.getsampwidth() * w.getnchannels()
        return frames > 0 and path.stat().st_size >= size
    except (OSError, EOFError, wave.Error):
        return False
