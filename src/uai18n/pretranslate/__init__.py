"""Pretranslation: reuse translation memory (TMX) and machine output before people translate."""
