/**
 * Demonstration departments (city bureaus of Ordos) used by the development identities, the
 * demo seed and the dashboard's department names. The domain itself knows department codes
 * only; these names are presentation data.
 */
export interface DemoDepartment {
  code: string;
  name: string;
  nameEn: string;
}

export const DEMO_DEPARTMENTS: readonly DemoDepartment[] = [
  { code: 'D01', name: '市大数据发展局', nameEn: 'Big Data Bureau' },
  { code: 'D02', name: '市公安局', nameEn: 'Public Security Bureau' },
  { code: 'D03', name: '市卫生健康委员会', nameEn: 'Health Commission' },
  { code: 'D04', name: '市教育局', nameEn: 'Education Bureau' },
  { code: 'D05', name: '市自然资源局', nameEn: 'Natural Resources Bureau' },
  { code: 'D06', name: '市交通运输局', nameEn: 'Transport Bureau' },
  { code: 'D07', name: '市人力资源和社会保障局', nameEn: 'Human Resources & Social Security Bureau' },
  { code: 'D08', name: '市市场监督管理局', nameEn: 'Market Regulation Bureau' },
  { code: 'D09', name: '市应急管理局', nameEn: 'Emergency Management Bureau' },
  { code: 'D10', name: '市政务服务局', nameEn: 'Government Services Bureau' },
];
