"""Static files of production: WhiteNoise's compressed, hashed storage, without rewriting
source-map comments. Vendored minified libraries (Chart.js…) name a `.map` file that is not
shipped; Django's manifest storage would then refuse the whole `collectstatic` (and so
`cchc serve` in production). Browsers only fetch maps with the developer tools open."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns):
    return tuple(
        (glob, tuple(p for p in rules if "sourceMappingURL" not in str(p)))
        for glob, rules in patterns
    )


class StaticStorage(CompressedManifestStaticFilesStorage):
    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
