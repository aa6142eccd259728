"""Administrative documents in the layout of Nghị định 30/2020/NĐ-CP, pure Python: the content
decided once (`layout.OfficialDocument`) and its Word renderer (`word.WordWriter`). The periodic
report (`cchc.reporting.documents`) and the drafted plan (`cchc.planning.documents`) build on them."""
