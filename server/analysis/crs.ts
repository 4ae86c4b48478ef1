// Coordinate systems Vietnamese users work in.
//
// VN-2000 uses the WGS 84 ellipsoid with its own datum; the 7-parameter shift to WGS 84
// (Decision 05/2007/QĐ-BTNMT) is written here with the signs PostGIS/EPSG use for
// VN-2000 itself (EPSG:4756, 3405), so every VN-2000 system we offer agrees with them.
const VN2000_TOWGS84 = '-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278';

/**
 * VN-2000 in a 3° transverse Mercator zone (k = 0.9999, false easting 500 km), as
 * cadastral surveys use it: each province has its own central meridian (Circular
 * 973/2001/TT-TCĐC), e.g. Lạng Sơn 107°15′, Cao Bằng 105°45′, Quảng Ninh 107°45′.
 */
export const vn2000Tm3 = (centralMeridian: number) =>
  `+proj=tmerc +lat_0=0 +lon_0=${centralMeridian} +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 +towgs84=${VN2000_TOWGS84} +units=m +no_defs`;

/** Lạng Sơn's central meridian, 107°15′. */
export const LANG_SON_CENTRAL_MERIDIAN = 107.25;

/** VN-2000, 3° transverse Mercator of Lạng Sơn: central meridian 107°15′, k = 0.9999. */
export const VN2000_LANG_SON_TM3 = vn2000Tm3(LANG_SON_CENTRAL_MERIDIAN);

/** VN-2000 / UTM zone 48N. */
export const VN2000_UTM48N_SRID = 3405;
