"""Test helpers: a small gazetteer over the `city` fixture's grids (see chengguan/grids/testing.py)."""

HEADER = "code,district,street,road,number,building,name,poi_kind,aliases,lng,lat\n"


def sample_rows() -> list[str]:
    rows = []
    # 夷山大街 runs east along 34.8125 across 龙亭 (114.30–114.32) and 顺河 (114.32–114.34); 2 numbers per 0.001°.
    for i in range(1, 80):
        lng = round(114.3005 + (i - 1) * 0.0005, 6)
        district = "龙亭区" if lng < 114.32 else "顺河回族区"
        rows.append(f"YS{i:04d},{district},北道门街道,夷山大街,{100 + i * 2 + 1},,,,,{lng},34.8125")
    rows.append("YS0201B1,顺河回族区,清平街道,夷山大街,201,3,,,,114.3250,34.8128")
    for i in range(1, 40):
        rows.append(f"ZS{i:04d},龙亭区,北道门街道,中山路,{i},,,,中山大街,114.3075,{round(34.8005 + i * 0.0005, 6)}")
    rows.append("POI0001,龙亭区,北道门街道,中山路,18,,开封市第一人民医院,医院,一院,114.3076,34.8095")
    rows.append("POI0002,顺河回族区,清平街道,,,,清平小学,学校,,114.3350,34.8050")
    return rows


def sample_csv() -> bytes:
    return (HEADER + "\n".join(sample_rows()) + "\n").encode()
